"""Contract fixtures: requests and answers as the platforms document them (tests/clients/contracts/*.json).

Each case names the documentation page it comes from (`doc`), the request shape the platform expects and the
answer it gives (status, headers, body). Strings like `<token>` are placeholders: in a documented request they
match any value; in an answer they are filled in by the test (`case(..., token="...")`).

The same cases drive two kinds of tests: the real clients against a local server replaying the documented
answers (`test_contracts_clients.py`), and the sandbox answering the documented requests
(`test_contracts_sandbox.py`), so the sandbox cannot drift into agreeing with a wrong client.
"""

import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from client_harness import Reply, Req

CONTRACTS = Path(__file__).resolve().parent / "contracts"
PLACEHOLDER = re.compile(r"<([a-z_ ]+[a-z0-9 ,]*)>")


@dataclass(frozen=True)
class Case:
    platform: str
    name: str
    doc: dict
    note: str
    request: dict
    response: dict

    @property
    def status(self) -> int:
        return self.response["status"]

    @property
    def headers(self) -> dict:
        return self.response.get("headers", {})

    @property
    def body(self):
        return self.response["body"]

    def reply(self) -> Reply:
        return Reply(self.status, self.body, dict(self.headers))


def _load(platform: str) -> dict:
    return json.loads((CONTRACTS / f"{platform}.json").read_text(encoding="utf-8"))


def cases(platform: str) -> list[Case]:
    doc = _load(platform)
    return [
        Case(platform, c["name"], c["doc"], c.get("note", ""), c.get("request", {}), c["response"])
        for c in doc["cases"]
    ]


def case(platform: str, name: str, **values) -> Case:
    """One case, its answer's placeholders filled with `values` (a placeholder left unfilled stays)."""
    (found,) = [c for c in cases(platform) if c.name == name]
    response = _fill(copy.deepcopy(found.response), {k: str(v) for k, v in values.items()})
    return Case(found.platform, found.name, found.doc, found.note, found.request, response)


def _fill(value, values: dict):
    if isinstance(value, str):
        return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), value)
    if isinstance(value, list):
        return [_fill(v, values) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    return value


def _matches(actual: str, documented: str) -> bool:
    """A documented value with placeholders matches any value in their place."""
    pattern, pos = "", 0
    for m in PLACEHOLDER.finditer(documented):
        pattern += re.escape(documented[pos : m.start()]) + ".+"
        pos = m.end()
    return re.fullmatch(pattern + re.escape(documented[pos:]), actual, re.DOTALL) is not None


def assert_request(method: str, path: str, query: dict, form: dict, headers: dict, documented: dict) -> None:
    """The request has the documented method, path, parameters and headers (placeholders match anything)."""
    assert method == documented["method"], (method, documented)
    assert _matches(path, documented["path"]), (path, documented["path"])
    for where, actual in (("query", query), ("form", form)):
        for key, value in documented.get(where, {}).items():
            assert key in actual, f"{key} missing from the {where}: {actual}"
            assert _matches(str(actual[key]), str(value)), (key, actual[key], value)
    lower = {k.lower(): v for k, v in headers.items()}
    for key, value in documented.get("headers", {}).items():
        assert _matches(lower.get(key.lower(), ""), value), (key, lower.get(key.lower()))


def assert_http_request(req: Req, documented: dict) -> None:
    form = req.form() if "form" in documented else {}
    assert_request(req.method, req.path, req.query, form, req.headers, documented)
    for key, value in documented.get("json", {}).items():
        assert req.json().get(key) == value, (key, req.json())


def assert_item_request(relative_url: str, documented: dict) -> None:
    """A Graph batch item (`relative_url`, a GET below the version) against a documented request."""
    parts = urlsplit(relative_url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert_request("GET", "/" + parts.path.lstrip("/"), query, {}, {}, documented)


def assert_same_shape(actual, documented, where: str = "body", optional: frozenset = frozenset()) -> None:
    """`actual` has every key of `documented` with a value of the same JSON type, recursively (lists: each
    element like one of the documented elements). Extra keys are allowed; `optional` keys may be missing."""
    if isinstance(documented, dict):
        assert isinstance(actual, dict), f"{where}: expected an object, got {actual!r}"
        for key, value in documented.items():
            if key not in actual:
                assert key in optional, f"{where}.{key} missing: {sorted(actual)}"
                continue
            assert_same_shape(actual[key], value, f"{where}.{key}", optional)
    elif isinstance(documented, list):
        assert isinstance(actual, list), f"{where}: expected a list, got {actual!r}"
        for k, element in enumerate(actual if documented else []):
            _like_one_of(element, documented, f"{where}[{k}]", optional)
    elif documented is None:
        assert actual is None, f"{where}: expected null, got {actual!r}"
    else:
        kinds = {bool: (bool,), int: (int,), float: (int, float), str: (str,)}[type(documented)]
        assert isinstance(actual, kinds) and not (isinstance(actual, bool) and bool not in kinds), (
            f"{where}: expected {type(documented).__name__}, got {actual!r}"
        )


def _like_one_of(actual, documented: list, where: str, optional: frozenset) -> None:
    errors = []
    for candidate in documented:
        try:
            assert_same_shape(actual, candidate, where, optional)
            return
        except AssertionError as exc:
            errors.append(str(exc))
    raise AssertionError(" / ".join(errors))
