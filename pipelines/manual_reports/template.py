"""The report template units fill in: `python -m pipelines.manual_reports.template OUT_DIR [--unit CODE]`.

Writes `template_laporan_medsos.csv` (';' separated, UTF-8 with BOM so Excel shows the letters right) and
`template_laporan_medsos.xlsx` (a title row above the header, a 'Petunjuk' sheet with instructions in
Indonesian). With --unit, the rows come pre-filled with that unit's registered accounts (dates and figures
left blank). Copies generated without --unit are committed under pipelines/manual_reports/templates/.
"""

import argparse
import csv
import io
from pathlib import Path

from pipelines.manual_reports.columns import METRIC_COLUMNS, TEMPLATE_COLUMNS, TEMPLATE_HEADER
from pipelines.manual_reports.issues import neutralise_for_csv

BASENAME = "template_laporan_medsos"
TITLE = "LAPORAN MEDIA SOSIAL SATUAN KERJA — isi mulai baris 3; baca petunjuk di lembar 'Petunjuk'"
PLATFORM_CHOICES = "instagram,facebook,youtube,x,tiktok"

# (column, wajib?, arti, contoh) — shown on the 'Petunjuk' sheet, one column per line.
COLUMN_HELP = {
    "kode_unit": ("wajib", "Kode satuan kerja Anda sesuai daftar registri", "ID-35.78"),
    "platform": (
        "wajib",
        "instagram, facebook, youtube, x (twitter) atau tiktok; boleh ig, fb, yt",
        "instagram",
    ),
    "akun": (
        "wajib",
        "Nama akun yang terdaftar; boleh diawali @, huruf besar/kecil sama saja",
        "@humas.kotasurabaya",
    ),
    "tanggal": ("wajib*", "Hari yang dilaporkan, format dd/mm/yyyy", "17/11/2026"),
    "pengikut": ("wajib", "Jumlah pengikut/pelanggan pada akhir hari itu", "17.583"),
    "mengikuti": ("boleh kosong", "Jumlah akun yang diikuti pada akhir hari itu", "120"),
    "jumlah_postingan": ("boleh kosong", "Jumlah seluruh postingan akun sampai hari itu", "1.234"),
    "postingan_baru": ("boleh kosong", "Postingan baru yang terbit hari itu", "2"),
    "tayangan": ("boleh kosong", "Tayangan (views) hari itu", "5.000"),
    "jangkauan": ("boleh kosong", "Jangkauan (akun yang dijangkau) hari itu", "4.000"),
    "suka": ("boleh kosong", "Suka (likes) hari itu", "300"),
    "komentar": ("boleh kosong", "Komentar hari itu", "20"),
    "bagikan": ("boleh kosong", "Dibagikan (shares) hari itu", "5"),
    "simpan": ("boleh kosong", "Disimpan (saves) hari itu", "1"),
}
INSTRUCTIONS = [
    "PETUNJUK PENGISIAN LAPORAN MEDIA SOSIAL",
    "",
    "1. Satu baris = satu akun pada satu hari. Isi lembar 'Laporan' mulai baris 3; jangan ubah baris judul kolom.",
    "2. Angka ditulis bulat tanpa desimal. Titik atau spasi sebagai pemisah ribuan boleh (17.583 = tujuh belas "
    "ribu lima ratus delapan puluh tiga). Koma dibaca sebagai desimal; angka seperti 15,000 atau 17,583 ditolak "
    "karena artinya tidak pasti (ribuan atau desimal?).",
    "3. Kosongkan sel bila platform tidak menyediakan angkanya (misalnya 'simpan' di YouTube). Jangan tulis 0 "
    "untuk angka yang tidak diketahui. Kolom 'pengikut' wajib diisi.",
    "4. Jangan memakai rumus (sel yang diawali =, +, -, @). Tulis angkanya saja.",
    "4a. Tanggal: kolom 'tanggal' menampilkan nama bulan (17 Nov 2026); periksa bahwa bulan yang tampak benar. "
    "Bila Excel Anda berpengaturan bulan/hari (AS), ketik tanggal sebagai 2026-11-17. Tanggal yang bisa "
    "tertukar hari dan bulannya ditolak bila berkas menunjukkan keraguan.",
    "5. Laporan mingguan: ganti judul kolom 'tanggal' menjadi 'minggu' dan isi minggu ISO (2026-W47) atau "
    "tanggal hari Senin awal minggu (16/11/2026). Pengikut, mengikuti dan jumlah_postingan diisi angka pada "
    "hari Minggu akhir minggu itu; kolom lain diisi jumlah selama seminggu. Laporan mingguan baru bisa dikirim "
    "setelah minggunya selesai.",
    "6. Kolom tambahan tidak diterima, kecuali 'keterangan' untuk catatan.",
    "7. Simpan sebagai .xlsx atau .csv lalu taruh di folder inbox. Berkas diproses otomatis dalam satu menit.",
    "8. Bila ada kesalahan, seluruh berkas ditolak dan Anda menerima berkas alasan (.reason.txt dan .errors.csv) "
    "yang menyebut baris dan kolom yang salah. Perbaiki lalu kirim ulang seluruh berkas.",
    "9. Berkas koreksi untuk akun dan tanggal yang sama menggantikan angka sebelumnya; penggantian dicatat.",
    "",
    "* isi 'tanggal' untuk laporan harian, atau 'minggu' untuk laporan mingguan.",
]


def prefilled_rows(unit_code: str) -> list[list[str]]:
    """One row per registered account of the unit: kode_unit, platform, akun filled, the rest blank."""
    from pipelines.registry import load_accounts

    accounts = sorted((a for a in load_accounts() if a.unit_code == unit_code), key=lambda a: a.platform)
    if not accounts:
        raise SystemExit(f"unit {unit_code!r} has no accounts in the registry")
    blanks = [""] * (len(TEMPLATE_COLUMNS) - 3)
    return [[a.unit_code, a.platform, a.handle, *blanks] for a in accounts]


def csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    writer.writerows([[neutralise_for_csv(c) for c in row] for row in rows])
    return "\ufeff" + buffer.getvalue()


def write_xlsx(path: Path, rows: list[list[str]]) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Laporan"
    sheet["A1"] = TITLE
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append(TEMPLATE_HEADER)
    for index, name in enumerate(TEMPLATE_HEADER, start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(name) + 4)
        if name == "tanggal":  # the month by name: a day/month swap shows on screen, and is never in doubt
            sheet.column_dimensions[letter].number_format = "DD MMM YYYY"
        elif name in {c.header_id for c in METRIC_COLUMNS}:
            sheet.column_dimensions[letter].number_format = "#,##0"
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A3"
    choices = DataValidation(type="list", formula1=f'"{PLATFORM_CHOICES}"', allow_blank=True)
    choices.error, choices.errorTitle = "Pilih: instagram, facebook, youtube, x, tiktok", "Platform"
    sheet.add_data_validation(choices)
    choices.add("B3:B5000")

    help_sheet = workbook.create_sheet("Petunjuk")
    for line in INSTRUCTIONS:
        help_sheet.append([line])
    help_sheet["A1"].font = Font(bold=True, size=12)
    help_sheet.append([])
    help_sheet.append(["Kolom", "Wajib?", "Isi", "Contoh"])
    for name, (required, meaning, example) in COLUMN_HELP.items():
        help_sheet.append([name, required, meaning, example])
    help_sheet.column_dimensions["A"].width = 20
    help_sheet.column_dimensions["C"].width = 70
    for row in help_sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=cell.column == 1 and cell.row <= len(INSTRUCTIONS))
            cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type  # never a formula
    workbook.save(path)


def write_templates(out_dir: Path, unit_code: str | None = None) -> tuple[Path, Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = prefilled_rows(unit_code) if unit_code else []
    suffix = f"_{unit_code}" if unit_code else ""
    csv_path = out_dir / f"{BASENAME}{suffix}.csv"
    csv_path.write_text(csv_text(rows), encoding="utf-8", newline="")
    xlsx_path = out_dir / f"{BASENAME}{suffix}.xlsx"
    write_xlsx(xlsx_path, rows)
    return csv_path, xlsx_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the manual report template (CSV and XLSX).")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--unit", help="pre-fill the rows with this unit's registered accounts")
    args = parser.parse_args(argv)
    for path in write_templates(args.out_dir, args.unit):
        print(path)


if __name__ == "__main__":
    main()
