"""The credential check and renewal against the bundled sandbox (full registry, default scenarios), over HTTP.

Expectations come from the sandbox's own world (scenarios) and token registry, and renewed tokens are proven by
fetching every connected account with the platform clients afterwards.
"""

import datetime as dt
import json
import os
import subprocess
import sys

from credential_fixtures import TODAY

from pipelines.clients import ClientConfig, build_client
from pipelines.credentials.store import load_secrets
from pipelines.live_credentials.check import format_report, run_check
from pipelines.live_credentials.renewal import renew_tokens
from pipelines.live_credentials.status import (
    EXPIRED,
    INVALID,
    MISSING_PERMISSION,
    MISSING_TOKEN,
    UNKNOWN_ID,
    VALID,
)
from pipelines.registry import load_accounts
from pipelines.sandbox.oauth_state import registry_for
from pipelines.settings import PROJECT_ROOT, today_wib

DAY = dt.date.fromisoformat(TODAY) - dt.timedelta(days=1)


def expected_status(sb, account) -> str:
    """What the check must say of `account`, from the sandbox's scenarios and initial grants."""
    w = sb.world
    if account.platform in ("instagram", "facebook", "tiktok") and account.account_id not in w.account_tokens:
        return MISSING_TOKEN
    state = w.error_state(w.index_of[account.account_id], w.n_days - 1)
    if account.platform in ("youtube", "x"):
        return UNKNOWN_ID if state else VALID
    grant = registry_for(w).initial[account.account_id][0]
    if account.platform == "tiktok":
        return {"stop_reporting": INVALID, "suspended": UNKNOWN_ID}.get(state, VALID)
    if grant.revoked_subcode:
        return EXPIRED if grant.revoked_subcode == 463 else INVALID
    if state == "suspended":
        return UNKNOWN_ID
    return VALID if "pages_show_list" in grant.scopes else MISSING_PERMISSION


def api_accounts():
    return [a for a in load_accounts() if a.collection_method == "api" and a.is_active_on(today_wib())]


def test_every_account_gets_the_verdict_the_sandbox_implies(scenario_sandbox):
    report = run_check()
    got = {r.subject: r.status for r in report.accounts()}
    want = {a.account_id: expected_status(scenario_sandbox, a) for a in api_accounts()}
    assert got == want
    counts = report.counts()
    for status in (VALID, EXPIRED, INVALID, MISSING_PERMISSION, UNKNOWN_ID, MISSING_TOKEN):
        assert any(status in c for c in counts.values()), status
    projects = {r.platform: r.status for r in report.results if r.subject == "project"}
    assert projects == {"youtube": VALID, "x": VALID}
    # expiry where the platform says it: Meta from debug_token, TikTok as recorded at the grant
    assert all(r.expires_at is not None for r in report.accounts() if r.status == EXPIRED)
    assert any(r.missing_scopes == ("pages_show_list",) for r in report.accounts())


def secret_values(path) -> list[str]:
    return [s for s in load_secrets(path).all_secret_values() if len(s) >= 8]


def test_command_prints_per_account_lines_and_no_secret(scenario_sandbox, data_dir):
    env = {**os.environ, "MEDSOS_DATA_DIR": str(data_dir), "MEDSOS_SANDBOX_PORT": str(scenario_sandbox.port)}
    cmd = [sys.executable, "-m", "pipelines.live_credentials", "check"]
    text = subprocess.run(cmd, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert text.returncode == 1, text.stderr  # some credentials need attention
    assert text.stdout.startswith("API mode: sandbox (no credentials configured")
    for status in ("expired", "invalid", "missing_permission", "unknown_id", "missing_token"):
        assert f" {status} " in text.stdout
    assert "(project credential)" in text.stdout and "lacks pages_show_list" in text.stdout
    as_json = subprocess.run([*cmd, "--json"], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True,
                             timeout=300)  # fmt: skip
    doc = json.loads(as_json.stdout)
    assert doc["mode"] == "sandbox" and len(doc["results"]) == len(api_accounts()) + 2
    for secret in secret_values(scenario_sandbox.files["tokens"]):
        assert secret not in text.stdout + text.stderr + as_json.stdout + as_json.stderr


def fetch_statuses(sb, platform: str, tokens: dict) -> dict[str, str]:
    accounts = [a for a in api_accounts() if a.platform == platform]
    config = ClientConfig(base_url=sb.base_url(platform), account_tokens=tokens, send_sandbox_as_of=True,
                          timeout_s=10.0, max_retries=3, backoff_base_s=0.01, backoff_max_s=0.2)  # fmt: skip
    with build_client(platform, config) as client:
        result = client.fetch_day(accounts, DAY)
    return {o.account_id: o.status for o in result.outcomes}


def test_renewal_writes_back_tokens_that_work_and_alerts_once(scenario_sandbox, data_dir):
    sb = scenario_sandbox
    path = sb.files["tokens"]
    before = load_secrets(path)
    statuses_before = {
        p: fetch_statuses(sb, p, before.account_tokens) for p in ("instagram", "facebook", "tiktok")
    }
    report = renew_tokens(margin_s=3 * 3600)  # every TikTok access token (2 h) is due with a 3 h margin
    counts = report.counts()
    assert counts["tiktok:refreshed"] == sum(
        1
        for a, (g, _) in registry_for(sb.world).initial.items()
        if g.kind == "bearer" and not g.revoked_subcode
    )
    assert counts["instagram:page_token"] and counts["facebook:page_token"] and counts["facebook:exchanged"]
    after = load_secrets(path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    renewed = {o.account_id for o in report.renewed if o.action in ("refreshed", "page_token")}
    assert all(after.account_tokens[a] != before.account_tokens[a] for a in renewed)
    refreshed = [o.account_id for o in report.outcomes if o.action == "refreshed"]
    assert all(after.details[a].refresh_token != before.details[a].refresh_token for a in refreshed)
    # the renewed tokens fetch exactly what the old ones fetched
    for platform, statuses in statuses_before.items():
        assert fetch_statuses(sb, platform, after.account_tokens) == statuses
    # and the check agrees with itself after renewal
    assert {r.subject: r.status for r in run_check().accounts()} == {
        a.account_id: expected_status(sb, a) for a in api_accounts()
    }
    alerts = (data_dir / "logs" / "alerts.jsonl").read_text().splitlines()
    assert alerts and all(json.loads(line)["kind"] == "credentials_expiring" for line in alerts)
    listed = {e["reason"] for line in alerts for e in json.loads(line)["accounts"]}
    assert {"refresh_token_ends", "user_token_expires", "renewal_failed"} <= listed
    text = "\n".join(alerts) + json.dumps([o.to_json() for o in report.outcomes])
    for secret in secret_values(path) + secret_values_from(before):
        assert secret not in text
    again = renew_tokens(margin_s=60)
    assert again.alerts == []  # reminders are not repeated; refused renewals are announced once a day


def secret_values_from(secrets) -> list[str]:
    return [s for s in secrets.all_secret_values() if len(s) >= 8]


def test_format_report_lists_problems_first(scenario_sandbox):
    text = format_report(run_check(platforms=("facebook",)), limit=3)
    lines = text.splitlines()
    assert lines[0].startswith("API mode: sandbox")
    assert " expired " in lines[5]  # the worst first
    assert "more (use --json for all)" in text and text.rstrip().endswith("requests made")
