"""Cost benchmark: time and peak memory of taking in the largest files the intake accepts, and of refusing
files past the limits. Prints figures; asserts nothing.

    python -m pipelines.manual_reports.benchmark_intake [--rows 100000] [--skip-intake]

Writes, in a temporary data folder (never the real one): an .xlsx and a ';' CSV of --rows report rows (the
row limit, MEDSOS_MANUAL_MAX_ROWS, by default) over registered accounts, an .xlsx whose formatted empty cells
unpack to just under the unpacked-size limit (accepted), and one far over it (refused while reading, like the
464 KB file that unpacked to 190 MB). Each case runs in a fresh child process, so its peak memory (ru_maxrss)
is its own: 'read' is the reader alone, 'intake' the whole process_file (validation, lake, receipts).
"""

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path


def _accounts():
    from pipelines.registry import load_accounts
    from pipelines.settings import today_wib

    start = today_wib() - dt.timedelta(days=360)
    return [a for a in load_accounts() if a.active_from <= start and a.active_to is None]


def _rows(n: int) -> list[list[object]]:
    from pipelines.settings import today_wib

    accounts = _accounts()
    rows = []
    for i in range(n):
        account = accounts[i % len(accounts)]
        day = today_wib() - dt.timedelta(days=1 + i // len(accounts))
        rows.append([account.unit_code, account.platform, account.handle, day.strftime("%Y-%m-%d"),
                     10_000 + i, 100, 1_000 + i % 50, 2, 5_000 + i, 4_000, 300, 20, 5, 1])  # fmt: skip
    return rows


def write_csv(path: Path, rows) -> Path:
    from pipelines.manual_reports.columns import TEMPLATE_HEADER

    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write(";".join(TEMPLATE_HEADER) + "\r\n")
        for row in rows:
            fh.write(";".join(str(c) for c in row) + "\r\n")
    return path


def write_xlsx(path: Path, rows, filler_cells_per_row: int = 0, filler_rows: int = 0) -> Path:
    """A workbook in Excel's shape; optional formatted empty cells (what 'format the whole column' leaves)."""
    import openpyxl

    from pipelines.manual_reports.columns import TEMPLATE_HEADER

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Laporan")
    sheet.append(["LAPORAN MEDIA SOSIAL"])
    sheet.append(TEMPLATE_HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    if filler_cells_per_row:
        with zipfile.ZipFile(path) as archive:
            parts = {i.filename: archive.read(i) for i in archive.infolist()}
        name = next(n for n in parts if n.startswith("xl/worksheets/"))
        cells = "".join('<c r="Z{r}" s="0"/>' for _ in range(filler_cells_per_row))
        start = len(rows) + 10
        extra = "".join(f'<row r="{r}">{cells.format(r=r)}</row>' for r in range(start, start + filler_rows))
        parts[name] = parts[name].replace(b"</sheetData>", extra.encode() + b"</sheetData>")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for part, data in parts.items():
                archive.writestr(part, data)
    return path


def _unpacked(path: Path) -> int:
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(i.file_size for i in archive.infolist())
    except zipfile.BadZipFile:
        return path.stat().st_size


def measure(path: Path, stage: str) -> dict:
    """Run in the child: one stage on one file; returns seconds, peak RSS and the outcome."""
    from pipelines.manual_reports.config import get_intake_config
    from pipelines.manual_reports.issues import FileRejected
    from pipelines.manual_reports.reader import read_table

    config = get_intake_config()
    started, cpu_started = time.perf_counter(), time.process_time()
    if stage == "read":
        try:
            table = read_table(path, config.max_rows, config.max_bytes, config.limits)
            outcome = f"read {len(table.rows)} rows"
        except FileRejected as rejected:
            outcome = "refused: " + rejected.issues[0].en_text[:90]
    else:
        from pipelines.manual_reports.intake import process_file

        result = process_file(path.name, run_id="benchmark")
        outcome = f"{result.outcome} ({result.rows} rows, {result.unit_days} unit-days)"
        if result.issues:
            outcome += ": " + result.issues[0].split(" / ")[-1][:90]
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return {"seconds": round(seconds, 1), "cpu": round(cpu, 1), "peak_mb": _peak_mb(), "outcome": outcome}


def _peak_mb() -> int:
    """This process's peak resident memory: VmHWM (reset by exec, unlike ru_maxrss, which a child inherits)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _child(path: Path, stage: str, env: dict) -> dict:
    code = (
        "import json, sys; from pathlib import Path; from pipelines.manual_reports.benchmark_intake import measure;"
        f"print(json.dumps(measure(Path({str(path)!r}), {stage!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        return {
            "seconds": None,
            "cpu": None,
            "peak_mb": None,
            "outcome": "failed: " + out.stderr.strip()[-300:],
        }
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    from pipelines.manual_reports.config import get_intake_config

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=get_intake_config().max_rows)
    parser.add_argument("--skip-intake", action="store_true", help="time the reader only")
    args = parser.parse_args(argv)
    limit = get_intake_config().max_expanded_bytes
    with tempfile.TemporaryDirectory(prefix="medsos-bench-") as folder:
        data = Path(folder) / "data"
        inbox = data / "inbox"
        inbox.mkdir(parents=True)
        env = {**os.environ, "MEDSOS_DATA_DIR": str(data), "MEDSOS_INBOX_DIR": str(inbox)}
        rows = _rows(args.rows)
        filler_rows = 1000
        per_row = int(0.95 * get_intake_config().max_cells / filler_rows)  # just under the cell limit
        cases = {
            f"xlsx, {args.rows} rows": write_xlsx(inbox / "terbesar.xlsx", rows),
            f"csv, {args.rows} rows": write_csv(inbox / "terbesar.csv", rows),
            "xlsx, formatted empty cells just under the cell limit": write_xlsx(
                inbox / "berformat.xlsx", rows[:50], per_row, filler_rows
            ),
            "xlsx, a zip bomb far over the limit": write_xlsx(
                inbox / "bom.xlsx", rows[:50], per_row * 3, filler_rows
            ),
        }
        print(
            f"limits: {args.rows} rows, unpacked {limit / 2**20:.0f} MB, {get_intake_config().max_cells} cells"
        )
        print(
            f"{'case':52} {'file':>9} {'unpacked':>9} {'stage':>7} {'wall s':>7} {'cpu s':>6} {'peak MB':>8}  outcome"
        )
        for label, path in cases.items():
            size = f"{path.stat().st_size / 2**20:.1f} MB"
            unpacked = f"{_unpacked(path) / 2**20:.0f} MB"
            for stage in ("read", "intake"):
                if stage == "intake" and args.skip_intake:
                    continue
                if not path.exists():
                    continue
                figures = _child(path, stage, env)
                print(
                    f"{label:52} {size:>9} {unpacked:>9} {stage:>7} {figures['seconds']!s:>7} {figures['cpu']!s:>6} "
                    f"{figures['peak_mb']!s:>8}  {figures['outcome']}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
