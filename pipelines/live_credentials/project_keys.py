"""YouTube API key and X bearer token: one credential for the whole project, checked once, then every
registry id resolved in batches with the same cheapest calls the clients make.

- YouTube `channels.list?part=id&id=<up to 50>` costs 1 quota unit per call
  (https://developers.google.com/youtube/v3/determine_quota_cost); unknown ids are simply absent. An invalid key
  answers HTTP 400 `badRequest` with `details[].reason = API_KEY_INVALID` (older: `errors[].reason =
  keyInvalid`); quota: 403 `quotaExceeded`; API not enabled: 403 `accessNotConfigured`
  (https://developers.google.com/youtube/v3/docs/errors).
- X `GET /2/users?ids=<up to 100>`: unknown or suspended users come back in an `errors` array with HTTP 200;
  a bad bearer token is 401, a token without access to the endpoint 403
  (https://docs.x.com/x-api/users/lookup/integrate, https://developer.x.com/en/support/x-api/error-troubleshooting).
"""

from collections.abc import Sequence

from pipelines.live_credentials.http import AuthHttp, Reply
from pipelines.live_credentials.status import (
    CHECK_FAILED,
    INVALID,
    MISSING_PERMISSION,
    MISSING_TOKEN,
    UNKNOWN_ID,
    VALID,
    CredentialStatus,
)

YOUTUBE_BATCH = 50
X_BATCH = 100


def _chunks(items: Sequence, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _youtube_reasons(body) -> set[str]:
    err = body.get("error") if isinstance(body, dict) else None
    if not isinstance(err, dict):
        return set()
    reasons = {str(e.get("reason")) for e in err.get("errors") or [] if isinstance(e, dict)}
    reasons |= {str(d.get("reason")) for d in err.get("details") or [] if isinstance(d, dict)}
    if err.get("status"):
        reasons.add(str(err["status"]))
    return reasons


def _youtube_project_verdict(reply: Reply) -> tuple[str, str] | None:
    """(status, detail) when the answer is about the key itself, else None."""
    reasons = _youtube_reasons(reply.body)
    message = str(((reply.body or {}).get("error") or {}).get("message") or "") if reply.body else ""
    if reasons & {"API_KEY_INVALID", "keyInvalid"} or (
        reply.status == 400 and "API key not valid" in message
    ):
        return INVALID, f"YouTube refuses the API key: {message or 'API_KEY_INVALID'}"
    if reasons & {"accessNotConfigured", "SERVICE_DISABLED", "forbidden", "ipRefererBlocked"}:
        return MISSING_PERMISSION, f"YouTube Data API v3 not usable with this key: {message}"
    if "quotaExceeded" in reasons:
        return CHECK_FAILED, "the key is valid but today's quota is spent (resets at midnight Pacific time)"
    return None


def _project(platform: str, status: str, detail: str) -> CredentialStatus:
    return CredentialStatus(platform, "project", status, detail)


def _same_for_all(platform: str, accounts, status: str, detail: str) -> list[CredentialStatus]:
    return [CredentialStatus(platform, a.account_id, status, detail, a.unit_code) for a in accounts]


def check_youtube(http: AuthHttp, base: str, api_key: str | None, accounts) -> list[CredentialStatus]:
    if not api_key:
        detail = "no YouTube API key (MEDSOS_YOUTUBE_API_KEY)"
        return [
            _project("youtube", MISSING_TOKEN, detail),
            *_same_for_all("youtube", accounts, MISSING_TOKEN, detail),
        ]
    out: list[CredentialStatus] = []
    project = None
    for batch in _chunks(list(accounts), YOUTUBE_BATCH):
        ids = ",".join(a.platform_user_id for a in batch)
        reply = http.get(f"{base}/channels", params={"part": "id", "id": ids, "key": api_key})
        if reply.ok and "error" not in reply.body:
            found = {str(item.get("id")) for item in reply.body.get("items") or []}
            project = project or (VALID, "API key accepted (channels.list part=id, 1 unit per 50 channels)")
            for a in batch:
                if a.platform_user_id in found:
                    out.append(CredentialStatus("youtube", a.account_id, VALID, "channel found", a.unit_code))
                else:
                    detail = "no channel with this id (deleted, terminated or a typo in the registry)"
                    out.append(CredentialStatus("youtube", a.account_id, UNKNOWN_ID, detail, a.unit_code))
            continue
        verdict = _youtube_project_verdict(reply) or (CHECK_FAILED, reply.error or f"HTTP {reply.status}")
        project = project if project and project[0] == VALID and verdict[0] == CHECK_FAILED else verdict
        out.extend(_same_for_all("youtube", batch, *verdict))
    return [_project("youtube", *(project or (CHECK_FAILED, "no account to check"))), *out]


def _x_error_status(error: dict) -> tuple[str, str]:
    detail = str(error.get("detail") or error.get("title") or "not found")
    return UNKNOWN_ID, f"X: {detail}"


def check_x(http: AuthHttp, base: str, bearer: str | None, accounts) -> list[CredentialStatus]:
    if not bearer:
        detail = "no X bearer token (MEDSOS_X_BEARER_TOKEN)"
        return [_project("x", MISSING_TOKEN, detail), *_same_for_all("x", accounts, MISSING_TOKEN, detail)]
    out: list[CredentialStatus] = []
    project = None
    for batch in _chunks(list(accounts), X_BATCH):
        ids = ",".join(a.platform_user_id for a in batch)
        reply = http.get(f"{base}/users", params={"ids": ids}, headers={"Authorization": f"Bearer {bearer}"})
        if reply.ok:
            found = {str(u.get("id")) for u in reply.body.get("data") or []}
            errors = {str(e.get("value") or e.get("resource_id")): e for e in reply.body.get("errors") or []}
            project = project or (VALID, "bearer token accepted (GET /2/users, 100 ids per request)")
            for a in batch:
                if a.platform_user_id in found:
                    out.append(CredentialStatus("x", a.account_id, VALID, "user found", a.unit_code))
                else:
                    status, detail = _x_error_status(errors.get(a.platform_user_id) or {})
                    out.append(CredentialStatus("x", a.account_id, status, detail, a.unit_code))
            continue
        body = reply.body if isinstance(reply.body, dict) else {}
        text = str(body.get("detail") or body.get("title") or reply.error or f"HTTP {reply.status}")
        if reply.status == 401:
            verdict = (INVALID, f"X refuses the bearer token: {text}")
        elif reply.status == 403:
            verdict = (MISSING_PERMISSION, f"X forbids GET /2/users for this app: {text}")
        else:
            verdict = (CHECK_FAILED, f"X: {text} after {reply.attempts} attempt(s)")
        project = project if project and project[0] == VALID and verdict[0] == CHECK_FAILED else verdict
        out.extend(_same_for_all("x", batch, *verdict))
    return [_project("x", *(project or (CHECK_FAILED, "no account to check"))), *out]
