"""The renewal asset and the credential check as real Dagster runs against the sandbox (small registry)."""

import json

import dagster as dg

from assets.credentials import PLATFORM_TOKENS_KEY, platform_tokens
from data_quality.checks.credentials import credentials_valid
from pipelines.credentials.store import load_secrets


def test_renewal_asset_and_check_run_and_keep_secrets_out(small_sandbox, data_dir):
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([platform_tokens, credentials_valid], instance=instance)
    assert result.success
    (materialization,) = result.asset_materializations_for_node("credentials__platform_tokens")
    meta = materialization.metadata
    assert meta["mode"].value == "sandbox" and "renewed" in meta and "alerts_sent" in meta
    (evaluation,) = result.get_asset_check_evaluations()
    assert evaluation.asset_key == PLATFORM_TOKENS_KEY and evaluation.check_name == "credentials_valid"
    assert evaluation.severity == dg.AssetCheckSeverity.WARN
    counts = evaluation.metadata["by_platform_and_status"].value
    assert evaluation.passed == (sum(n for c in counts.values() for s, n in c.items() if s != "valid") == 0)
    assert evaluation.metadata["accounts_checked"].value == sum(sum(c.values()) for c in counts.values())
    logs = [e.message for e in instance.all_logs(result.run_id) if e.message]
    assert any(m.startswith("API mode: sandbox (") for m in logs)
    everything = json.dumps([str(m.value) for m in meta.values()]) + json.dumps(
        [str(v.value) for v in evaluation.metadata.values()]
    ) + "\n".join(logs)  # fmt: skip
    for secret in load_secrets(small_sandbox.files["tokens"]).all_secret_values():
        if len(secret) >= 8:
            assert secret not in everything


def test_definitions_hold_the_credential_jobs_and_schedules():
    from pipelines.definitions import defs

    jobs = {j.name for j in defs.resolve_all_job_defs()}
    assert {"token_renewal_job", "credential_check_job"} <= jobs
    schedules = {s.name: s for s in defs.schedules}
    assert schedules["token_renewal_job_schedule"].cron_schedule == "*/30 * * * *"
    assert schedules["credential_check_job_schedule"].execution_timezone == "Asia/Jakarta"
