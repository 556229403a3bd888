"""The secrets store: today's shape reads unchanged, details round-trip, writes are atomic and private."""

import json
import os
import stat
import threading

import pytest
from credential_fixtures import read_json

from pipelines.credentials import store
from pipelines.credentials.store import NEVER, Secrets, TokenDetails

OLD_SHAPE = {"account_tokens": {"instagram:17841400000000001": "IGQVJtokenA", "tiktok:open1": "act.tokenB"}}
DETAILED = {
    "account_tokens": {"tiktok:open1": "act.tokenB"},
    "token_details": {
        "tiktok:open1": {
            "token_type": "bearer",
            "expires_at": "2026-12-03T16:00:00Z",
            "refresh_token": "rft.secretC",
            "refresh_expires_at": "2027-06-01T00:00:00Z",
            "scopes": "user.info.basic,user.info.stats,video.list",
        },
        "facebook:106089882913862": {
            "token_type": "page",
            "expires_at": "never",
            "scopes": ["read_insights"],
        },
    },
    "meta_app": {"app_id": "1384", "app_secret": "appsecretD"},
}


def test_todays_shape_reads_as_it_is_and_writes_back_the_same(tmp_path):
    path = tmp_path / "tokens.json"
    path.write_text(json.dumps(OLD_SHAPE))
    secrets = store.load_secrets(path)
    assert secrets.account_tokens == OLD_SHAPE["account_tokens"] and secrets.details == {}
    store.write_secrets(path, secrets)
    assert read_json(path) == OLD_SHAPE


def test_details_parse_and_round_trip(tmp_path):
    path = tmp_path / "tokens.json"
    path.write_text(json.dumps(DETAILED))
    secrets = store.load_secrets(path)
    tiktok = secrets.details["tiktok:open1"]
    assert tiktok.scopes == ("user.info.basic", "user.info.stats", "video.list")
    assert tiktok.expires_at.isoformat() == "2026-12-03T16:00:00+00:00"
    assert secrets.details["facebook:106089882913862"].expires_at == NEVER
    assert secrets.app_credentials("meta_app") == {"app_id": "1384", "app_secret": "appsecretD"}
    store.write_secrets(path, secrets)
    again = store.load_secrets(path)
    assert again.details == secrets.details and again.extra == secrets.extra
    assert read_json(path)["token_details"]["tiktok:open1"]["scopes"] == [
        "user.info.basic", "user.info.stats", "video.list"
    ]  # fmt: skip


def test_written_file_is_private(tmp_path):
    path = tmp_path / "secrets" / "tokens.json"
    store.write_secrets(path, Secrets({"x:1": "tok"}))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "tokens.json"
    path.write_text(json.dumps(OLD_SHAPE))
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        store.write_secrets(path, Secrets({"tiktok:open1": "act.NEW"}))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tokens.json"]


def test_unserialisable_content_never_touches_the_file(tmp_path):
    path = tmp_path / "tokens.json"
    path.write_text(json.dumps(OLD_SHAPE))
    before = path.read_bytes()
    bad = Secrets({"tiktok:open1": "act.NEW"}, extra={"oops": object()})
    with pytest.raises(TypeError):
        store.write_secrets(path, bad)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tokens.json"]


def test_a_reader_never_sees_half_a_file(tmp_path):
    """Readers poll while a writer replaces a large store many times: every read is a whole document."""
    path = tmp_path / "tokens.json"
    big = {f"tiktok:user{i:05d}": "act." + "x" * 200 for i in range(3000)}
    store.write_secrets(path, Secrets(dict(big)))
    stop, reads, bad = threading.Event(), [], []

    def reader():
        while not stop.is_set():
            try:
                doc = json.loads(path.read_bytes())
                reads.append(len(doc["account_tokens"]))
            except (ValueError, KeyError) as exc:  # a torn or empty file would land here
                bad.append(repr(exc))

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for generation in range(40):
            tokens = {k: f"act.gen{generation}" + "y" * 200 for k in big}
            store.write_secrets(path, Secrets(tokens))
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not bad
    assert reads and set(reads) == {3000}


def test_merge_keeps_what_a_person_changed_meanwhile(tmp_path):
    path = tmp_path / "tokens.json"
    store.write_secrets(path, Secrets(dict(OLD_SHAPE["account_tokens"])))
    edited = read_json(path)
    edited["account_tokens"]["facebook:2"] = "EAAaddedbyhand"  # someone edits the file during a renewal
    path.write_text(json.dumps(edited))
    store.merge_into(path, {"tiktok:open1": ("act.renewed", TokenDetails(token_type="bearer"))})
    tokens = store.load_secrets(path).account_tokens
    assert tokens == {
        **OLD_SHAPE["account_tokens"],
        "facebook:2": "EAAaddedbyhand",
        "tiktok:open1": "act.renewed",
    }


def test_one_writer_at_a_time(tmp_path):
    path = tmp_path / "tokens.json"
    with store.locked(path), pytest.raises(store.StoreBusy), store.locked(path, wait=False):
        pass


def test_secrets_never_in_reprs_or_errors(tmp_path):
    path = tmp_path / "tokens.json"
    path.write_text(json.dumps(DETAILED))
    secrets = store.load_secrets(path)
    shown = repr(secrets) + str(secrets) + repr(secrets.details["tiktok:open1"])
    for secret in ("act.tokenB", "rft.secretC", "appsecretD"):
        assert secret not in shown
    path.write_text(json.dumps({"account_tokens": {"x:1": 12345678}}))
    with pytest.raises(ValueError) as err:
        store.load_secrets(path)
    assert "12345678" not in str(err.value) and "x:1" in str(err.value)
    path.write_text('{"account_tokens": {"x:1": "EAAhalf')
    with pytest.raises(ValueError) as err:
        store.load_secrets(path)
    assert "EAAhalf" not in str(err.value)
