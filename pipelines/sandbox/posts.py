"""Individual posts and videos, generated on request from the daily `new_posts` series.

Times and ids come from a small integer hash of (seed, account, day, n), so a post keeps its id and time
across requests and restarts without storing millions of posts. Posts go out between 06:00 and 21:00 WIB,
at distinct seconds, newest first.
"""

import datetime as dt
import zlib
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")
MASK64 = (1 << 64) - 1
POSTING_START_S = 6 * 3600
POSTING_SPAN_S = 15 * 3600


def mix(*parts: int) -> int:
    """splitmix64 over the parts: a fast, well-spread deterministic hash."""
    x = 0x9E3779B97F4A7C15
    for p in parts:
        x = (x ^ (p & MASK64)) * 0xBF58476D1CE4E5B9 & MASK64
        x = (x ^ (x >> 31)) * 0x94D049BB133111EB & MASK64
        x ^= x >> 29
    return x


def account_salt(account_id: str) -> int:
    return zlib.crc32(account_id.encode())


def day_start_unix(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(0), tzinfo=WIB).timestamp())


def post_times(seed: int, salt: int, day: dt.date, count: int) -> list[tuple[int, int]]:
    """(unix seconds, hash) for `count` posts on `day` (WIB), newest first, at distinct seconds."""
    base = day_start_unix(day)
    ordinal = day.toordinal()
    seen: set[int] = set()
    out = []
    for k in range(count):
        h = mix(seed, salt, ordinal, k)
        offset = POSTING_START_S + h % POSTING_SPAN_S
        while offset in seen:  # two posts never share a second (cursor paging relies on it)
            offset = (offset + 1) % 86400
        seen.add(offset)
        out.append((base + offset, h))
    out.sort(reverse=True)
    return out


def meta_time(unix: int) -> str:
    return dt.datetime.fromtimestamp(unix, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def facebook_post_id(page_id: str, h: int) -> str:
    return f"{page_id}_{10**15 + (h >> 11) % (9 * 10**15)}"


def tiktok_video_id(create_time: int, h: int) -> str:
    # TikTok ids carry their creation time in the high 32 bits.
    return str((create_time << 32) | (h & 0xFFFFFFFF))
