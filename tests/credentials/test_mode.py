"""API mode: which setting or file decides, said in words, never with a secret in them."""

import json
import logging

import pytest

from pipelines.credentials import api_mode, decide_mode, log_mode
from pipelines.ingest import client_config_for
from pipelines.resources import PlatformApiResource
from pipelines.settings import get_settings

SECRET_KEY = "AIzaSy-not-a-real-key-0123456789"


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch, data_dir):
    for name in ("MEDSOS_API_MODE", "MEDSOS_SECRETS_FILE", "MEDSOS_YOUTUBE_API_KEY", "MEDSOS_X_BEARER_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def write_default_secrets(data_dir, tokens=None):
    path = data_dir / "secrets" / "tokens.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"account_tokens": tokens or {"facebook:106089882913862": "EAAsecretpage"}}))
    return path


def test_nothing_configured_means_sandbox_and_says_why(data_dir):
    decision = decide_mode()
    assert decision.mode == "sandbox"
    assert "no credentials configured" in decision.reason
    assert str(data_dir / "secrets" / "tokens.json") in decision.reason  # where it looked
    assert decision.secrets_path == data_dir / "sandbox" / "tokens.json"


def test_a_secrets_file_at_the_default_path_means_live(data_dir):
    path = write_default_secrets(data_dir)
    decision = decide_mode()
    assert decision.mode == "live"
    assert decision.reason == f"a secrets file exists at the default path {path}"
    assert decision.secrets_path == path
    config = client_config_for("facebook")  # what the ingestion assets get
    assert config.base_url.startswith("https://graph.facebook.com/")
    assert dict(config.account_tokens) == {"facebook:106089882913862": "EAAsecretpage"}
    assert not config.send_sandbox_as_of


def test_secrets_file_setting_decides_and_a_missing_file_is_named(data_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("MEDSOS_SECRETS_FILE", str(tmp_path / "elsewhere.json"))
    decision = decide_mode()
    assert decision.mode == "live"
    assert "MEDSOS_SECRETS_FILE is set" in decision.reason and "no file is there" in decision.reason


def test_project_credentials_decide_without_showing_their_value(monkeypatch):
    monkeypatch.setenv("MEDSOS_YOUTUBE_API_KEY", SECRET_KEY)
    decision = decide_mode()
    assert decision.mode == "live" and "MEDSOS_YOUTUBE_API_KEY is set" in decision.reason
    assert SECRET_KEY not in decision.describe()


def test_explicit_mode_wins_and_live_without_credentials_warns(data_dir, monkeypatch):
    write_default_secrets(data_dir)
    monkeypatch.setenv("MEDSOS_API_MODE", "sandbox")
    assert api_mode(get_settings()) == "sandbox"
    assert "MEDSOS_API_MODE=sandbox" in decide_mode().reason
    monkeypatch.setenv("MEDSOS_API_MODE", "auto")
    assert api_mode() == "live"
    (data_dir / "secrets" / "tokens.json").unlink()
    monkeypatch.setenv("MEDSOS_API_MODE", "live")
    assert "warning: no credentials found" in decide_mode().reason
    monkeypatch.setenv("MEDSOS_API_MODE", "production")
    with pytest.raises(ValueError, match="MEDSOS_API_MODE"):
        decide_mode()


def test_every_platform_run_logs_the_mode_and_why(data_dir, caplog):
    write_default_secrets(data_dir, {"tiktok:abc": "act.secretvalue123"})

    class Context:
        log = logging.getLogger("dagster-run")

    with caplog.at_level(logging.INFO, logger="dagster-run"):
        PlatformApiResource().setup_for_execution(Context())
    assert "API mode: live (a secrets file exists at the default path" in caplog.text
    assert "act.secretvalue123" not in caplog.text
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="pipelines.credentials"):
        log_mode()
    assert "API mode: live" in caplog.text
