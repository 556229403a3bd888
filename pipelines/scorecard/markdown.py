"""The Markdown preview of a week's national scorecard: shown in the Dagster UI and sent to chat."""

from pathlib import Path

from pipelines.platform_spec import PLATFORMS
from pipelines.scorecard.i18n import PLATFORM_NAMES, Formatter
from pipelines.scorecard.queries import WeekData

TOP = 5


def preview(data: WeekData, national_page: Path) -> str:
    fmt = Formatter("id")
    week = data.week
    lines = [
        f"### Rapor mingguan {week.label} ({fmt.date(week.start)} – {fmt.date(week.end)})",
        "",
    ]
    if not week.is_complete:
        lines += [f"**Minggu belum lengkap** ({week.days_in_warehouse} dari 7 hari): tanpa peringkat.", ""]
    lines += [
        "| Platform | Pengikut | Pertumbuhan | Pertumbuhan % | Tanpa akun-hari bertanda | Keterlibatan | ⚠ |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    national = [r for r in data.platform_weeks if r["scope_unit_code"] == data.nation_code]
    for row in sorted(national, key=lambda r: PLATFORMS.index(r["platform"])):
        lines.append(
            f"| {PLATFORM_NAMES[row['platform']]} | {fmt.integer(row['followers_count'])} "
            f"| {fmt.signed(row['follower_growth_count'])} "
            f"| {fmt.percent(row['follower_growth_rate'], 2, True)} "
            f"| {fmt.percent(row['clean_follower_growth_rate'], 2, True)} "
            f"| {fmt.percent(row['engagement_rate'])} | {row['flagged_account_days_count'] or ''} |"
        )
    ranked = [
        r
        for r in data.league
        if r["league_unit_code"] == data.nation_code and r["composite_rank"] is not None
    ]
    if ranked:
        lines += [
            "",
            f"**{TOP} provinsi teratas:** "
            + ", ".join(
                f"{r['composite_rank']}. {r['unit_name']} ({fmt.decimal(r['composite_score'])})"
                for r in ranked[:TOP]
            ),
        ]
    missing = [r for r in data.issues if r["flag_category"] == "missing"]
    suspect = [r for r in data.issues if r["flag_category"] == "suspect"]
    lines += [
        "",
        f"Tidak melapor: **{len(missing)}** akun · angka janggal: **{len(suspect)}** akun-jenis "
        f"({sum(1 for r in suspect if r['severity'] == 'critical')} kritis).",
        "",
        f"Berkas: `{national_page}`",
    ]
    return "\n".join(lines) + "\n"
