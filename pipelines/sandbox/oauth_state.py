"""The sandbox's token contract state: every token it has issued, with its type, expiry and scopes.

At start-up each connected Instagram / Facebook / TikTok account gets the grant a unit would have given
(deterministic for the seed; lifetimes count from the wall clock at start-up, because tokens expire in real
time, whatever day `X-Sandbox-As-Of` asks about; a sandbox with a pinned day keeps its token clock at start-up):
- Meta: mostly Page tokens that never expire; some long-lived user tokens (about 60 days, a few within the
  expiry-alert window); a few short-lived user tokens (2 hours: exchange them or lose them); some grants lack
  `pages_show_list`. Accounts whose token is revoked today (scenario `stop_reporting`) are invalid here too:
  subcode 463 (expired) or 460 (password changed), as the Graph API answers them.
- TikTok: access tokens of 2 hours and refresh tokens of up to 180 days (the lifetimes TikTok documents since
  2026; a few refresh tokens end within the alert window); revoked ones refuse refreshing.
Renewals add grants (`issue`); refresh tokens rotate (the one used stops working). The state lives as long as
its world (a midnight rollover starts from the initial grants again, and rewrites tokens.json to match).
"""

import datetime as dt
import hashlib
import secrets
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from pipelines.sandbox.world import World, make_token

HOUR, DAY = 3600.0, 86400.0
META_SHORT_TTL = 2 * HOUR
META_LONG_TTL = 5183944.0  # the sample answer of the long-lived exchange (about 60 days)
TIKTOK_ACCESS_TTL = 2 * HOUR
TIKTOK_REFRESH_TTL = 180 * DAY
META_SCOPES = {
    "instagram": ("instagram_basic", "instagram_manage_insights", "pages_read_engagement", "pages_show_list"),
    "facebook": ("read_insights", "pages_read_engagement", "pages_show_list"),
}
TIKTOK_SCOPES = ("user.info.basic", "user.info.stats", "video.list")


@dataclass(frozen=True)
class Grant:
    token: str
    account_index: int
    kind: str  # "user" | "page" (Meta), "bearer" (TikTok access token), "refresh" (TikTok refresh token)
    issued_at: float
    expires_at: float | None  # None: never
    scopes: tuple[str, ...]
    revoked_subcode: int | None = None  # revoked by the person (Meta 460/463, TikTok: any value)
    data_access_expires_at: float | None = None
    used: bool = False  # a rotated refresh token

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and now >= self.expires_at


def _draw(seed: int, account_id: str, what: str) -> float:
    digest = hashlib.sha256(f"{seed}:oauth:{what}:{account_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


class TokenRegistry:
    """Issued tokens of one world. Lookups take no lock (dict reads); changes are made under `lock`."""

    def __init__(self, world: World, clock: Callable[[], float] = time.time):
        self.world = world
        self.lock = threading.Lock()
        self.started_at = clock()
        # A sandbox with a pinned day (tests, demos) stands still in time: its tokens do not expire while it
        # runs, however long a test session takes. On the real calendar they expire in real time.
        self.clock = clock if world.config.today is None else (lambda: self.started_at)
        self.grants: dict[str, Grant] = {}
        # the app whose token signs Graph batch calls (World.meta_app_token once the specification lands)
        app_token = getattr(world, "meta_app_token", None) or "1000000000000|" + make_token(
            world.seed, "meta-app-secret"
        )
        app_id, app_secret = app_token.split("|", 1)
        self.meta_app = {"app_id": app_id, "app_secret": app_secret}
        self.tiktok_app = {
            "client_key": "sbxck" + make_token(world.seed, "tiktok-key")[4:16],
            "client_secret": make_token(world.seed, "tiktok-secret"),
        }
        self.initial: dict[
            str, tuple[Grant, Grant | None]
        ] = {}  # account_id -> (access grant, refresh grant)
        for account_id, base_token in world.account_tokens.items():
            self.initial[account_id] = self._initial_grant(account_id, base_token)
            for grant in self.initial[account_id]:
                if grant is not None:
                    self.grants[grant.token] = grant

    def _revoked_subcode(self, i: int) -> int | None:
        sc = self.world.scenario_of.get(i)
        if sc is None or self.world.error_state(i, self.world.n_days - 1) != "stop_reporting":
            return None
        return 460 if "error_subcode=460" in sc.details else 463

    def _initial_grant(self, account_id: str, base_token: str) -> tuple[Grant, Grant | None]:
        w, t0 = self.world, self.started_at
        i = w.index_of[account_id]
        platform = w.accounts[i].platform
        revoked = self._revoked_subcode(i)
        u = _draw(w.seed, account_id, "kind")
        if platform == "tiktok":
            refresh_ttl = (3 + 10 * u) * DAY if u < 0.08 else (30 + 150 * u) * DAY
            access = Grant(base_token, i, "bearer", t0, t0 + TIKTOK_ACCESS_TTL, TIKTOK_SCOPES, revoked)
            refresh_token = "rft." + make_token(w.seed, f"refresh:{account_id}")
            refresh = Grant(refresh_token, i, "refresh", t0, t0 + refresh_ttl, TIKTOK_SCOPES, revoked)
            return access, refresh
        scopes = META_SCOPES[platform]
        if _draw(w.seed, account_id, "scopes") < 0.06:
            scopes = tuple(s for s in scopes if s != "pages_show_list")
        data_access = t0 + (20 + 70 * _draw(w.seed, account_id, "data-access")) * DAY
        if revoked is not None or u < 0.20:  # a user token (revoked ones were user grants too)
            user_token = make_token(w.seed, f"user:{account_id}")
            ttl = META_SHORT_TTL if u < 0.05 else (1 + 59 * (u - 0.05) / 0.15) * DAY
            if revoked == 463:  # "Session has expired": expired when the scenario began
                ttl = -DAY * max(1.0, (w.today - w.scenario_of[i].start_date).days)
            return Grant(user_token, i, "user", t0, t0 + ttl, scopes, revoked, data_access), None
        return Grant(base_token, i, "page", t0, None, scopes, None, data_access), None

    # -- lookups ------------------------------------------------------------------------------------
    def get(self, token: str | None) -> Grant | None:
        return self.grants.get(token) if token else None

    def usable(self, grant: Grant) -> bool:
        """Whether data endpoints take it. Revoked grants pass: the world refuses them by the as-of day
        (scenario `stop_reporting`), so days before the revocation still answer as they did."""
        return grant.revoked_subcode is not None or not grant.expired(self.clock())

    # -- changes -------------------------------------------------------------------------------------
    def issue(self, like: Grant, kind: str, ttl: float | None, prefix: str) -> Grant:
        now = self.clock()
        token = prefix + secrets.token_hex(12)  # the sandbox's token shape: sbx_ + 24 hex digits
        grant = Grant(token, like.account_index, kind, now, None if ttl is None else now + ttl, like.scopes,
                      None, like.data_access_expires_at)  # fmt: skip
        with self.lock:
            self.grants[token] = grant
        return grant

    def add(self, grant: Grant) -> Grant:
        with self.lock:
            self.grants[grant.token] = grant
        return grant

    def mark_used(self, grant: Grant) -> bool:
        """Rotate a refresh token: True for the one caller that used it first."""
        with self.lock:
            current = self.grants.get(grant.token)
            if current is None or current.used:
                return False
            self.grants[grant.token] = replace(current, used=True)
            return True

    # -- the sandbox's tokens.json ------------------------------------------------------------------------
    def file_fields(self) -> dict:
        """`account_tokens`, `token_details` and the app credentials of the initial grants (secrets store shape)."""

        def iso(ts: float | None) -> str:
            if ts is None:
                return "never"
            return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")

        tokens, details = {}, {}
        for account_id, (access, refresh) in sorted(self.initial.items()):
            tokens[account_id] = access.token
            d = {"token_type": access.kind, "expires_at": iso(access.expires_at), "scopes": list(access.scopes),
                 "obtained_at": iso(access.issued_at)}  # fmt: skip
            if access.data_access_expires_at:
                d["data_access_expires_at"] = iso(access.data_access_expires_at)
            if refresh is not None:
                d["refresh_token"] = refresh.token
                d["refresh_expires_at"] = iso(refresh.expires_at)
            details[account_id] = d
        return {"account_tokens": tokens, "token_details": details, "meta_app": dict(self.meta_app),
                "tiktok_app": dict(self.tiktok_app)}  # fmt: skip


class TokenView(Mapping):
    """Stands in for `World.token_index` (token -> account index), consulting the registry: tokens issued by
    renewals are known, expired ones are not."""

    def __init__(self, base: Mapping[str, int], registry: TokenRegistry):
        self.base, self.registry = base, registry

    def get(self, token, default=None):
        grant = self.registry.get(token)
        if grant is None or grant.kind == "refresh":
            return self.base.get(token, default) if grant is None else default
        return grant.account_index if self.registry.usable(grant) else default

    def __getitem__(self, token):
        found = self.get(token)
        if found is None:
            raise KeyError(token)
        return found

    def __iter__(self):
        return iter(self.base)

    def __len__(self) -> int:
        return len(self.base)


_REGISTRIES: "weakref.WeakKeyDictionary[World, TokenRegistry]" = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def registry_for(world: World) -> TokenRegistry:
    """The world's registry (created on first use: when its tokens.json is written, or its first request);
    also makes the world's token index consult it."""
    registry = _REGISTRIES.get(world)
    if registry is None:
        with _LOCK:
            registry = _REGISTRIES.get(world)
            if registry is None:
                registry = _REGISTRIES[world] = TokenRegistry(world)
    if not isinstance(world.token_index, TokenView):
        world.token_index = TokenView(world.token_index, registry)
    return registry
