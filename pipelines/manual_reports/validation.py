"""Running the Great Expectations suite on a report's rows and wording its failures for the unit."""

import datetime as dt
from collections import defaultdict
from dataclasses import replace

import pandas as pd

from pipelines.manual_reports.issues import Issue, clip_value, show_value
from pipelines.manual_reports.registry_index import RegistryIndex, account_key
from pipelines.manual_reports.rows import METRIC_FIELDS, ReportRow


def _d(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "?"


def rows_frame(rows: list[ReportRow], registry: RegistryIndex) -> pd.DataFrame:
    """One line per report row, with the registry account it names (None if it names none)."""
    accounts = [registry.lookup(r.unit_code, r.platform, r.handle) for r in rows]
    data: dict[str, object] = {
        "row_number": [r.row_number for r in rows],
        "unit_code": [r.unit_code for r in rows],
        "platform": [r.platform for r in rows],
        "handle": [r.handle for r in rows],
        "account_key": [account_key(r.unit_code, r.platform, r.handle) for r in rows],
        "account_id": [a.account_id if a else None for a in accounts],
        "metric_date": pd.to_datetime([r.metric_date for r in rows]),
        "active_from": pd.to_datetime([a.active_from if a else None for a in accounts]),
        "active_to": pd.to_datetime([a.active_to if a else None for a in accounts]),
        "period": [r.period for r in rows],
    }
    for name in METRIC_FIELDS:
        data[name] = pd.array([r.metrics.get(name) for r in rows], dtype="Int64")
    return pd.DataFrame(data)


def validate_report(
    rows: list[ReportRow], registry: RegistryIndex, today: dt.date, horizon_days: int
) -> list[Issue]:
    from data_quality.manual_report_suite import validate_rows

    earliest = today - dt.timedelta(days=horizon_days)
    frame = rows_frame(rows, registry)
    # The value sets hold only the registry entries of the units this file names: membership answers are
    # the same as against the whole registry (an account key starts with its unit code), and GX re-serialises
    # each value set many times, so the full 2,000-account set would cost a second per file.
    units = registry.units & set(frame["unit_code"].dropna())
    keys = [k for k in registry.accounts if k.split("|", 1)[0] in units]
    failures = validate_rows(frame, units, keys, METRIC_FIELDS, earliest, today)
    by_number = {r.row_number: r for r in rows}
    unknown_unit_rows = {n for f in failures if f.check == "known_unit" for n in f.row_numbers}
    issues: list[Issue] = []
    for failure in failures:
        if failure.check == "columns_present":
            issues.append(
                Issue(f"kolom tidak lengkap ({failure.observed})", f"columns missing ({failure.observed})")
            )
        elif failure.check == "unique_account_day":
            issues.extend(_duplicates([by_number[n] for n in failure.row_numbers]))
        else:
            for n in failure.row_numbers:
                if failure.check == "known_account" and n in unknown_unit_rows:
                    continue  # already told: the unit itself is unknown
                row = by_number[n]
                issue = _swap_hint(
                    row, _row_issue(failure.check, failure.column, row, registry, today, earliest)
                )
                issues.append(replace(issue, value=clip_value(_cell_value(row, issue.field))))
    return issues


def _swap_hint(row: ReportRow, issue: Issue) -> Issue:
    """A date that only makes sense with day and month swapped says so (it is never swapped for the unit)."""
    if issue.field != "report_date" or row.date_alternative is None:
        return issue
    other = _d(row.date_alternative)
    return replace(
        issue,
        id_text=f"{issue.id_text}; bila hari dan bulan tertukar, maksudnya mungkin {other}: tulis tanggal sebagai "
        "yyyy-mm-dd agar tidak tertukar",
        en_text=f"{issue.en_text}; if day and month are swapped, {other} may be meant: write dates as yyyy-mm-dd "
        "so they cannot be swapped",
    )


def _cell_value(row: ReportRow, field: str | None) -> object:
    """The value a problem is about, as the unit wrote it (dates as dd/mm/yyyy)."""
    if field in ("report_date", "week"):
        return _d(row.week_start if field == "week" else row.metric_date)
    if field in ("unit_code", "platform", "handle"):
        return getattr(row, field)
    return row.metrics.get(field or "")


def _date_field(row: ReportRow) -> str:
    return "week" if row.period == "week" else "report_date"


def _row_issue(
    check: str, column: str | None, row: ReportRow, registry: RegistryIndex, today: dt.date, earliest: dt.date
) -> Issue:
    n, day = row.row_number, row.metric_date
    if check == "known_unit":
        v = show_value(row.unit_code)
        return Issue(
            f"kode unit {v} tidak terdaftar", f"unit code {v} is not in the registry", n, "unit_code"
        )
    if check == "known_account":
        h = show_value(row.handle)
        registered = registry.handles_of(row.unit_code or "", row.platform or "")
        if not registered:
            return Issue(
                f"unit {row.unit_code} tidak punya akun {row.platform} yang terdaftar",
                f"unit {row.unit_code} has no registered {row.platform} account",
                n,
                "handle",
            )
        listed = ", ".join(registered)
        return Issue(
            f"akun {h} bukan akun {row.platform} terdaftar milik unit {row.unit_code} (terdaftar: {listed})",
            f"account {h} is not a registered {row.platform} account of unit {row.unit_code} (registered: {listed})",
            n,
            "handle",
        )
    if check == "non_negative":
        v = show_value(row.metrics.get(column or ""))
        return Issue(
            f"{v} negatif; jumlah tidak boleh kurang dari 0",
            f"{v} is negative; counts cannot be below 0",
            n,
            column,
        )
    if check == "not_future" and row.period == "week":
        return Issue(
            f"minggu {_d(row.week_start)}–{_d(day)} belum selesai (hari ini {_d(today)} WIB)",
            f"week {_d(row.week_start)}–{_d(day)} has not ended yet (today is {_d(today)} WIB)",
            n,
            "week",
        )
    if check == "not_future":
        return Issue(
            f"tanggal {_d(day)} belum terjadi (hari ini {_d(today)} WIB)",
            f"date {_d(day)} is in the future (today is {_d(today)} WIB)",
            n,
            "report_date",
        )
    if check == "within_horizon":
        return Issue(
            f"tanggal {_d(day)} terlalu lama (paling awal {_d(earliest)})",
            f"date {_d(day)} is too old (earliest accepted {_d(earliest)})",
            n,
            _date_field(row),
        )
    account = registry.lookup(row.unit_code, row.platform, row.handle)
    if check == "after_active_from" and account:
        return Issue(
            f"tanggal {_d(day)} sebelum akun mulai aktif ({_d(account.active_from)})",
            f"date {_d(day)} is before the account became active ({_d(account.active_from)})",
            n,
            _date_field(row),
        )
    if check == "before_active_to" and account:
        return Issue(
            f"tanggal {_d(day)} setelah akun berhenti aktif ({_d(account.active_to)})",
            f"date {_d(day)} is after the account stopped being active ({_d(account.active_to)})",
            n,
            _date_field(row),
        )
    return Issue(f"pemeriksaan '{check}' gagal", f"check '{check}' failed", n, column)


def _duplicates(rows: list[ReportRow]) -> list[Issue]:
    groups: dict[tuple, list[ReportRow]] = defaultdict(list)
    for row in rows:
        groups[(account_key(row.unit_code, row.platform, row.handle), row.metric_date)].append(row)
    issues = []
    for group in groups.values():
        for row in group:
            others = ", ".join(str(o.row_number) for o in group if o is not row)
            issues.append(
                Issue(
                    f"akun {show_value(row.handle)} ({row.platform}) tanggal {_d(row.metric_date)} "
                    f"dilaporkan lebih dari sekali (juga di baris {others})",
                    f"account {show_value(row.handle)} ({row.platform}) on {_d(row.metric_date)} "
                    f"is reported more than once (also in row {others})",
                    row.row_number,
                    _date_field(row),
                    clip_value(_cell_value(row, _date_field(row))),
                )
            )
    return issues
