"""The template's columns: Indonesian headers, English aliases, and the platform words units write."""

import re
from dataclasses import dataclass

from pipelines.lake import MANUAL_METRIC_NAMES


@dataclass(frozen=True)
class Column:
    field: str  # internal name (the lake's, for metrics)
    header_id: str  # template header (Indonesian)
    header_en: str  # English alias, used in English messages
    aliases: tuple[str, ...] = ()


IDENTITY_COLUMNS = (
    Column("unit_code", "kode_unit", "unit_code", ("kode_satker", "kode")),
    Column("platform", "platform", "platform", ("media_sosial", "medsos")),
    Column("handle", "akun", "handle", ("account", "nama_akun", "username")),
    Column("report_date", "tanggal", "report_date", ("date", "tgl")),
)
WEEK_COLUMN = Column("week", "minggu", "week", ("minggu_ke", "pekan"))
METRIC_COLUMNS = (
    Column("followers_count", "pengikut", "followers", ("subscribers", "pelanggan")),
    Column("following_count", "mengikuti", "following"),
    Column("posts_total_count", "jumlah_postingan", "posts_total", ("total_postingan",)),
    Column("new_posts_count", "postingan_baru", "new_posts"),
    Column("views_count", "tayangan", "views"),
    Column("reach_count", "jangkauan", "reach"),
    Column("likes_count", "suka", "likes"),
    Column("comments_count", "komentar", "comments"),
    Column("shares_count", "bagikan", "shares"),
    Column("saves_count", "simpan", "saves"),
)
# A free-text notes column is allowed and ignored (units like to explain a figure).
NOTES_COLUMN = Column("notes", "keterangan", "notes", ("catatan", "note", "remarks"))

TEMPLATE_COLUMNS = (*IDENTITY_COLUMNS, *METRIC_COLUMNS)
ALL_COLUMNS = (*IDENTITY_COLUMNS, WEEK_COLUMN, *METRIC_COLUMNS, NOTES_COLUMN)
BY_FIELD = {c.field: c for c in ALL_COLUMNS}
TEMPLATE_HEADER = [c.header_id for c in TEMPLATE_COLUMNS]
REQUIRED_FIELDS = ("unit_code", "platform", "handle", "followers_count")  # plus tanggal or minggu
assert tuple(c.field for c in METRIC_COLUMNS) == MANUAL_METRIC_NAMES

# Lifetime counters: a snapshot at the end of the day (or week). The rest count activity in the period.
SNAPSHOT_FIELDS = ("followers_count", "following_count", "posts_total_count")


def normalise_header(text: object) -> str:
    """'Jumlah Postingan ' → 'jumlah_postingan'; '\ufeffKode-Unit' → 'kode_unit'."""
    s = str(text or "").replace("\ufeff", "").strip().lower()
    return re.sub(r"[^0-9a-z]+", "_", s).strip("_")


_HEADER_LOOKUP: dict[str, str] = {}
for _c in ALL_COLUMNS:
    for _name in (_c.header_id, _c.header_en, *_c.aliases):
        _HEADER_LOOKUP[normalise_header(_name)] = _c.field


def field_for_header(text: object) -> str | None:
    return _HEADER_LOOKUP.get(normalise_header(text))


def label(field: str) -> tuple[str, str]:
    """(Indonesian, English) column name for messages."""
    c = BY_FIELD[field]
    return c.header_id, c.header_en


_PLATFORM_WORDS = {
    "instagram": "instagram",
    "ig": "instagram",
    "insta": "instagram",
    "facebook": "facebook",
    "fb": "facebook",
    "youtube": "youtube",
    "yt": "youtube",
    "x": "x",
    "twitter": "x",
    "xtwitter": "x",
    "twitterx": "x",
    "tiktok": "tiktok",
    "tt": "tiktok",
}


def platform_for_word(text: str) -> str | None:
    return _PLATFORM_WORDS.get(re.sub(r"[^0-9a-z]+", "", text.lower()))
