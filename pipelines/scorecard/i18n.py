"""Words and number formats of the scorecard in Bahasa Indonesia (`id`, the page the meeting uses) and English.

Indonesian writes 1.234.567 and 3,45 %; English 1,234,567 and 3.45%. A missing figure shows as an en dash.
"""

import datetime as dt
from dataclasses import dataclass

LANGUAGES = ("id", "en")
MISSING = "–"

MONTHS = {
    "id": (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

PLATFORM_NAMES = {
    "instagram": "Instagram",
    "facebook": "Facebook",
    "youtube": "YouTube",
    "x": "X",
    "tiktok": "TikTok",
}

TEXT = {
    "id": {
        "title": "Rapor Mingguan Media Sosial",
        "province_title": "Rapor Mingguan Media Sosial — {name}",
        "week": "Minggu {label} ({start} – {end})",
        "switch": "English",
        "generated": "Dibuat {at} dari gudang data terbit ({path}); data sampai {latest}.",
        "incomplete": "Minggu ini belum lengkap di gudang data ({days} dari 7 hari): angka sementara, tanpa peringkat.",
        "no_data": "Gudang data tidak memuat minggu ini.",
        "summary": "Ringkasan nasional per platform",
        "summary_province": "Ringkasan provinsi per platform",
        "platform": "Platform",
        "followers": "Pengikut",
        "growth": "Pertumbuhan",
        "growth_rate": "Pertumbuhan %",
        "growth_clean": "Tanpa akun-hari bertanda",
        "engagement_rate": "Tingkat keterlibatan",
        "engagement_clean": "Keterlibatan tanpa tanda",
        "vs_last_week": "vs minggu lalu",
        "completeness": "Kelengkapan laporan",
        "posting": "Kepatuhan unggah",
        "flags": "Tanda",
        "formula": (
            "Rumus (sekali untuk seluruh halaman): pertumbuhan % = pertumbuhan pengikut minggu ini ÷ pengikut awal "
            "minggu; tingkat keterlibatan = (suka + komentar + bagikan + simpan) ÷ pengikut, per hari, dihitung "
            "dari jumlah seluruh akun (bukan rata-rata tingkat per akun). X dan YouTube tidak memberi angka "
            "keterlibatan. Kolom “tanpa akun-hari bertanda” mengulang hitungan tanpa hari-hari akun yang "
            "angkanya ditandai janggal oleh pemeriksaan mutu data (⚠)."
        ),
        "trend_chart": "Pertumbuhan pengikut per minggu (%) tanpa akun-hari bertanda, sampai 8 minggu terakhir",
        "league": "Peringkat provinsi",
        "league_regency": "Peringkat kabupaten/kota",
        "league_note": (
            "Nilai gabungan 0–100 = rata-rata berbobot empat komponen: pertumbuhan {w_growth} %, keterlibatan "
            "{w_engagement} %, kepatuhan unggah {w_posting} %, kelengkapan laporan {w_completeness} %. "
            "Pertumbuhan dan keterlibatan (tanpa akun-hari bertanda) dinilai sebagai bagian rekan yang "
            "dilampaui (seri dihitung setengah); kepatuhan unggah dan kelengkapan apa adanya. Angka dalam "
            "kurung: peringkat per komponen. Hanya minggu lengkap yang diperingkat."
        ),
        "rank": "Peringkat",
        "change": "Perubahan",
        "unit": "Unit",
        "composite": "Nilai gabungan",
        "trend": "Tren 4 minggu",
        "new": "baru",
        "posting_section": "Kepatuhan unggah terhadap kalender konten",
        "posting_note": (
            "Satu unit-platform memenuhi target bila jumlah hari mengunggah dalam minggu ini mencapai target "
            "kalender konten untuk tingkat unitnya. Laporan manual mingguan tanpa tanggal unggahan tidak dinilai."
        ),
        "units_judged": "Unit dinilai",
        "units_met": "Memenuhi target",
        "target": "Target hari/minggu",
        "posting_matrix": "Hari mengunggah / target per platform",
        "movers": "Penggerak minggu ini",
        "movers_up": "Naik paling banyak",
        "movers_down": "Turun paling banyak",
        "score_change": "Perubahan nilai",
        "missing": "Unit yang tidak melapor",
        "missing_note": "Akun yang datanya tidak masuk minggu ini, diurutkan menurut lamanya (hari berturut-turut).",
        "missing_more": "dan {count} akun lain (lihat rapor provinsi).",
        "days_missing": "Hari hilang",
        "streak": "Berturut-turut",
        "ongoing": "masih berlangsung",
        "reason": "Alasan",
        "account": "Akun",
        "suspect": "Angka yang tampak janggal",
        "suspect_note": (
            "Akun-hari yang ditandai pemeriksaan mutu data. Baris peringkat dan ringkasan yang memuatnya diberi ⚠; "
            "angka “tanpa akun-hari bertanda” tidak menghitungnya."
        ),
        "suspect_more": "dan {count} tanda lain (lihat rapor provinsi).",
        "type": "Jenis",
        "severity": "Tingkat",
        "observed": "Teramati",
        "expected": "Rentang wajar",
        "explanation": "Keterangan",
        "none": "Tidak ada.",
        "content_mix": "Komposisi jenis konten",
        "responsiveness": "Daya tanggap terhadap komentar",
        "content_type": "Jenis konten",
        "posts": "Unggahan",
        "share": "Porsi",
        "comments": "Komentar",
        "replied": "Dibalas",
        "reply_rate": "Tingkat balasan",
        "median_reply": "Median waktu balas (menit)",
        "provinces": "Rapor provinsi",
        "index_title": "Rapor Mingguan Media Sosial — semua minggu",
        "index_week": "Minggu",
        "index_national": "Nasional",
        "index_provinces": "Provinsi",
        "index_status": "Status",
        "complete": "lengkap",
        "partial": "sementara",
        "method": "Cara membaca",
        "province_rank": "Peringkat provinsi ini secara nasional: {rank} dari {count}.",
        "province_rank_none": "Provinsi ini belum diperingkat minggu ini.",
        "critical": "kritis",
        "warning": "peringatan",
        "mark_title": "{count} akun-hari bertanda",
    },
    "en": {
        "title": "Weekly Social Media Scorecard",
        "province_title": "Weekly Social Media Scorecard — {name}",
        "week": "Week {label} ({start} – {end})",
        "switch": "Bahasa Indonesia",
        "generated": "Built {at} from the published warehouse ({path}); data up to {latest}.",
        "incomplete": "This week is not complete in the warehouse ({days} of 7 days): provisional figures, no ranking.",
        "no_data": "The warehouse holds no data for this week.",
        "summary": "National summary per platform",
        "summary_province": "Province summary per platform",
        "platform": "Platform",
        "followers": "Followers",
        "growth": "Growth",
        "growth_rate": "Growth %",
        "growth_clean": "Without flagged account-days",
        "engagement_rate": "Engagement rate",
        "engagement_clean": "Engagement without flags",
        "vs_last_week": "vs last week",
        "completeness": "Reporting completeness",
        "posting": "Posting compliance",
        "flags": "Flags",
        "formula": (
            "Formulas (once for the whole page): growth % = this week's follower growth ÷ followers at the start "
            "of the week; engagement rate = (likes + comments + shares + saves) ÷ followers, per day, computed "
            "from the sums over all accounts (never an average of account rates). X and YouTube give no "
            "engagement figures. The “without flagged account-days” columns repeat the computation without the "
            "account-days whose figures data quality flagged as suspect (⚠)."
        ),
        "trend_chart": "Weekly follower growth (%) without flagged account-days, up to the last 8 weeks",
        "league": "Province league table",
        "league_regency": "Regency/city league table",
        "league_note": (
            "Composite 0–100 = weighted mean of four components: growth {w_growth}%, engagement {w_engagement}%, "
            "posting compliance {w_posting}%, reporting completeness {w_completeness}%. Growth and engagement "
            "(without flagged account-days) score the share of peers beaten (ties count half); posting compliance "
            "and completeness count as they are. In brackets: rank per component. Only complete weeks are ranked."
        ),
        "rank": "Rank",
        "change": "Change",
        "unit": "Unit",
        "composite": "Composite",
        "trend": "4-week trend",
        "new": "new",
        "posting_section": "Posting compliance against the content calendar",
        "posting_note": (
            "A unit-platform meets its target when its posting days this week reach the content-calendar target "
            "for its level. Weekly manual reports without post dates are not judged."
        ),
        "units_judged": "Units judged",
        "units_met": "Target met",
        "target": "Target days/week",
        "posting_matrix": "Posting days / target per platform",
        "movers": "This week's movers",
        "movers_up": "Biggest gains",
        "movers_down": "Biggest falls",
        "score_change": "Score change",
        "missing": "Units that did not report",
        "missing_note": "Accounts whose data did not arrive this week, longest streak (consecutive days) first.",
        "missing_more": "and {count} more accounts (see the province scorecards).",
        "days_missing": "Days missing",
        "streak": "Streak",
        "ongoing": "ongoing",
        "reason": "Reason",
        "account": "Account",
        "suspect": "Figures that look wrong",
        "suspect_note": (
            "Account-days flagged by data quality. League and summary rows that include them carry ⚠; the "
            "“without flagged account-days” figures leave them out."
        ),
        "suspect_more": "and {count} more flags (see the province scorecards).",
        "type": "Type",
        "severity": "Severity",
        "observed": "Observed",
        "expected": "Expected range",
        "explanation": "Explanation",
        "none": "None.",
        "content_mix": "Content-type mix",
        "responsiveness": "Responsiveness to comments",
        "content_type": "Content type",
        "posts": "Posts",
        "share": "Share",
        "comments": "Comments",
        "replied": "Replied",
        "reply_rate": "Reply rate",
        "median_reply": "Median reply time (minutes)",
        "provinces": "Province scorecards",
        "index_title": "Weekly Social Media Scorecard — all weeks",
        "index_week": "Week",
        "index_national": "National",
        "index_provinces": "Provinces",
        "index_status": "Status",
        "complete": "complete",
        "partial": "provisional",
        "method": "How to read",
        "province_rank": "This province's national rank: {rank} of {count}.",
        "province_rank_none": "This province is not ranked this week.",
        "critical": "critical",
        "warning": "warning",
        "mark_title": "{count} flagged account-days",
    },
}

FLAG_TYPES = {
    "id": {
        "follower_jump": "lonjakan pengikut",
        "follower_drop": "penurunan pengikut",
        "counter_decrease": "penghitung turun",
        "frozen": "data beku",
        "engagement_spike": "lonjakan keterlibatan",
        "posting_silence": "berhenti mengunggah",
        "inactive": "tidak aktif",
        "missing": "tidak melapor",
    },
    "en": {
        "follower_jump": "follower jump",
        "follower_drop": "follower drop",
        "counter_decrease": "counter decrease",
        "frozen": "frozen data",
        "engagement_spike": "engagement spike",
        "posting_silence": "posting silence",
        "inactive": "inactive",
        "missing": "not reporting",
    },
}

REASONS = {
    "id": {
        "never_connected": "belum pernah terhubung",
        "fetch_failed": "pengambilan gagal",
        "rejected_at_ingestion": "ditolak pemeriksaan mutu",
        "not_fetched": "belum diambil",
        "no_manual_report": "laporan manual belum masuk",
    },
    "en": {
        "never_connected": "never connected",
        "fetch_failed": "fetch failed",
        "rejected_at_ingestion": "rejected at ingestion",
        "not_fetched": "not fetched",
        "no_manual_report": "no manual report",
    },
}


@dataclass(frozen=True)
class Formatter:
    """Numbers and dates as the reader of one language writes them."""

    lang: str

    @property
    def _separators(self) -> tuple[str, str]:
        return (".", ",") if self.lang == "id" else (",", ".")

    def _swap(self, text: str) -> str:
        thousands, decimal = self._separators
        return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)

    def integer(self, value) -> str:
        return MISSING if value is None else self._swap(f"{round(value):,}")

    def signed(self, value) -> str:
        if value is None:
            return MISSING
        return ("+" if value > 0 else "−" if value < 0 else "±") + self.integer(abs(value))

    def decimal(self, value, places: int = 1) -> str:
        return MISSING if value is None else self._swap(f"{value:,.{places}f}")

    def signed_decimal(self, value, places: int = 1) -> str:
        if value is None:
            return MISSING
        return ("+" if value > 0 else "−" if value < 0 else "±") + self.decimal(abs(value), places)

    def range(self, low, high) -> str:
        """An expected range; an open end shows as ≥ or ≤."""
        if low is None and high is None:
            return MISSING
        if high is None:
            return f"≥ {self.integer(low)}"
        if low is None:
            return f"≤ {self.integer(high)}"
        return f"{self.integer(low)} – {self.integer(high)}"

    def percent(self, rate, places: int = 2, signed: bool = False) -> str:
        """A 0-1 rate as a percentage."""
        if rate is None:
            return MISSING
        text = self._swap(f"{abs(rate) * 100:,.{places}f}") + (" %" if self.lang == "id" else "%")
        if not signed:
            return ("−" if rate < 0 else "") + text
        return ("+" if rate > 0 else "−" if rate < 0 else "±") + text

    def date(self, day: dt.date) -> str:
        month = MONTHS[self.lang][day.month - 1]
        return f"{day.day} {month} {day.year}"


def text(lang: str) -> dict[str, str]:
    return TEXT[lang]
