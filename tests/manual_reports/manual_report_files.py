"""Helpers that write report files the way units do (CSV/XLSX), for the manual-report tests."""

import csv
import datetime as dt
import io
from pathlib import Path

from pipelines.manual_reports.columns import TEMPLATE_HEADER
from pipelines.registry import Account, load_accounts
from pipelines.settings import today_wib


def days_ago(n: int) -> dt.date:
    return today_wib() - dt.timedelta(days=n)


def dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def unit_accounts() -> tuple[Account, Account]:
    """Two registered accounts (different platforms) of one unit, active for years."""
    by_unit: dict[str, list[Account]] = {}
    for account in load_accounts():
        if account.active_from <= dt.date(2024, 1, 1) and account.active_to is None:
            by_unit.setdefault(account.unit_code, []).append(account)
    unit = next(u for u, accounts in sorted(by_unit.items()) if u.startswith("ID-") and len(accounts) >= 2)
    first, second = sorted(by_unit[unit], key=lambda a: a.platform)[:2]
    return first, second


def report_row(account: Account, day: dt.date | str, followers: str, **metrics: str) -> list[str]:
    """Template-ordered cells; metrics by Indonesian header name (e.g. suka='300')."""
    values = {
        "kode_unit": account.unit_code,
        "platform": account.platform,
        "akun": account.handle,
        "tanggal": dmy(day) if isinstance(day, dt.date) else day,
        "pengikut": followers,
        **metrics,
    }
    return [values.get(name, "") for name in TEMPLATE_HEADER]


def full_width(cells: list[str], header=TEMPLATE_HEADER) -> list[str]:
    """A row with as many cells as the header (a CSV row with fewer is refused: its columns are in doubt)."""
    return [*cells, *[""] * (len(header) - len(cells))]


def csv_bytes(rows, header=TEMPLATE_HEADER, sep=";", encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def write_csv(path: Path, rows, **kwargs) -> Path:
    path.write_bytes(csv_bytes(rows, **kwargs))
    return path


def write_xlsx(
    path: Path, rows, header=TEMPLATE_HEADER, title: str | None = "Laporan Medsos November"
) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.append([])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text as text: openpyxl would otherwise store '=...' as a formula
            elif isinstance(cell.value, dt.datetime):
                cell.number_format = "mm-dd-yy"  # built-in 14: what Excel gives a typed date (locale order)
    workbook.save(path)
    return path
