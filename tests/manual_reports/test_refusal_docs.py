"""Issue 9: the regional admins' page lists every refusal with its exact reason text (Bahasa Indonesia)."""

from pathlib import Path

from refusal_catalogue import catalogue

DOC = Path(__file__).resolve().parents[2] / "docs" / "regional-admins" / "laporan-manual.md"


def test_every_refusal_is_written_verbatim_on_the_admins_page(data_dir):
    text = DOC.read_text(encoding="utf-8")
    found = catalogue()
    kinds = {case for case, _ in found}
    assert (
        len(found) >= 60 and {"password-protected .xlsx", "old .xls", ".ods", "HTML saved as .xls"} <= kinds
    )
    missing = [f"{case}: {reason}" for case, reason in found if f"`{reason}`" not in text]
    assert not missing, "reasons not on docs/regional-admins/laporan-manual.md:\n" + "\n".join(missing)
