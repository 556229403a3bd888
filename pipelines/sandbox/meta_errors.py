"""Meta's error bodies: `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`."""

from pipelines.sandbox.protocol import trace_id

THROTTLE_MESSAGES = {
    4: "(#4) Application request limit reached",
    17: "(#17) User request limit reached",
    32: "(#32) Page request limit reached",
    613: "(#613) Calls to this api have exceeded the rate limit.",
    80001: "(#80001) There have been too many calls to this Page account. Wait a bit and try again.",
    80002: "(#80002) There have been too many calls to this Instagram account. Wait a bit and try again.",
}


def error(
    code: int, message: str, subcode: int | None = None, status: int = 400, **extra
) -> tuple[int, dict]:
    body = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        body["error_subcode"] = subcode
    body.update(extra)
    body["fbtrace_id"] = trace_id()
    return status, {"error": body}


def throttle_error(code: int) -> tuple[int, dict]:
    status = 403 if code in (4, 17, 32, 613) else 400
    return error(code, THROTTLE_MESSAGES[code], status=status, is_transient=True)


def is_throttle(status: int, body: dict) -> bool:
    return status in (400, 403) and (body.get("error") or {}).get("code") in THROTTLE_MESSAGES


def transient_error() -> tuple[int, dict]:
    message = "An unexpected error has occurred. Please retry your request later."
    return error(2, message, status=500, is_transient=True)
