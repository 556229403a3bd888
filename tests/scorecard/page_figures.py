"""Read the figures a scorecard page shows and compare them with the warehouse row and column they name.

Every figure on the page sits in an element with `data-f="<table>|<key>|<key>[|<key>]|<column>"`. The check
parses the text a reader sees (Indonesian 1.234,5 % or English 1,234.5%, signs +, −, ±, en dash for none),
looks the value up in the warehouse with its own query, and compares at the precision shown.
"""

import re
from decimal import Decimal

import duckdb

TABLES = {
    "P": ("reports.rpt_scorecard_platform_weekly", ["scope_unit_code", "platform"]),
    "L": ("reports.rpt_scorecard_league_weekly", ["league_unit_code", "unit_code"]),
    "U": ("reports.rpt_scorecard_unit_platform_weekly", ["unit_code", "platform"]),
    "I": ("reports.rpt_scorecard_issues_weekly", ["account_id", "flag_type"]),
    "C": ("reports.rpt_scorecard_content_mix_weekly", ["scope_unit_code", "platform", "content_type"]),
    "R": ("reports.rpt_reply_rate_weekly", ["scope_unit_code", "platform"]),
}
UNSIGNED_COLUMNS = {"rank_change_count"}  # shown as ▲ n / ▼ n


def parse(text: str, lang: str) -> tuple[Decimal | None, bool, int]:
    """(value, is_percent, decimal places) of a displayed figure."""
    text = text.strip().replace("\u00a0", " ")
    if text in ("–", ""):
        return None, False, 0
    thousands, decimal = (".", ",") if lang == "id" else (",", ".")
    is_percent = text.endswith("%")
    body = text.rstrip("%").strip()
    sign = -1 if body.startswith("−") else 1
    body = body.lstrip("+−±")
    if not re.fullmatch(r"[0-9.,]+", body):
        raise ValueError(f"not a figure: {text!r}")
    body = body.replace(thousands, "").replace(decimal, ".")
    places = len(body.split(".")[1]) if "." in body else 0
    return sign * Decimal(body), is_percent, places


def warehouse_value(con: duckdb.DuckDBPyConnection, key: str, iso_week: str):
    prefix, *parts = key.split("|")
    table, key_columns = TABLES[prefix]
    *key_values, column = parts
    assert len(key_values) == len(key_columns), key
    where = " and ".join(f"{c} = ?" for c in key_columns)
    rows = con.execute(
        f"select {column} from {table} where iso_year_week = ? and {where}", [iso_week, *key_values]
    ).fetchall()
    assert len(rows) == 1, f"{key}: {len(rows)} warehouse rows"
    return rows[0][0]


def mismatches(figures: list[tuple[str, str]], con, iso_week: str, lang: str) -> list[str]:
    """Every figure whose displayed text differs from the warehouse value (empty when all agree)."""
    wrong = []
    for key, text in figures:
        shown, is_percent, places = parse(text, lang)
        expected = warehouse_value(con, key, iso_week)
        if expected is None or shown is None:
            if expected is not None or shown is not None:
                wrong.append(f"{key}: page {text!r}, warehouse {expected!r}")
            continue
        value = float(expected) * (100 if is_percent else 1)
        if key.rsplit("|", 1)[1] in UNSIGNED_COLUMNS:
            value = abs(value)
        if Decimal(f"{value:.{places}f}") != shown:
            wrong.append(f"{key}: page {text!r}, warehouse {expected!r}")
    return wrong
