"""Problems found in a report, worded for the unit that sent it: Indonesian first, then English."""

from dataclasses import dataclass

from pipelines.manual_reports.columns import ALL_COLUMNS, label

COLUMN_ORDER = {c.field: i for i, c in enumerate(ALL_COLUMNS)}

_MAX_SHOWN = 60


def clip_value(value: object) -> str:
    """A cell value on one line, shortened: safe to put in a message or a table."""
    text = "" if value is None else str(value)
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def show_value(value: object) -> str:
    """A cell value quoted for a sentence: '12a'."""
    return f"'{clip_value(value)}'"


@dataclass(frozen=True)
class Issue:
    """One problem. `row` is the row number as the unit sees it in the file (None: the whole file)."""

    id_text: str
    en_text: str
    row: int | None = None
    field: str | None = None
    value: str | None = None  # the offending cell as written (clip_value)

    def _where(self) -> tuple[str, str]:
        parts_id, parts_en = [], []
        if self.row is not None:
            parts_id.append(f"Baris {self.row}")
            parts_en.append(f"Row {self.row}")
        if self.field is not None:
            col_id, col_en = label(self.field)
            parts_id.append(f"kolom '{col_id}'")
            parts_en.append(f"column '{col_en}'")
        return ", ".join(parts_id), ", ".join(parts_en)

    def render(self) -> str:
        where_id, where_en = self._where()
        text_id = f"{where_id}: {self.id_text}" if where_id else self.id_text
        text_en = f"{where_en}: {self.en_text}" if where_en else self.en_text
        return f"{text_id} / {text_en}"

    def sort_key(self) -> tuple:
        """File-level problems first, then by row, then in the template's column order."""
        position = COLUMN_ORDER.get(self.field or "", -1)
        return (self.row is not None, self.row or 0, position, self.en_text)


class CellError(ValueError):
    """A cell that cannot be read as its column demands."""

    def __init__(self, id_text: str, en_text: str):
        super().__init__(en_text)
        self.id_text = id_text
        self.en_text = en_text


class FileRejected(Exception):
    """The file as a whole cannot be taken in (wrong type, too large, no header, ...)."""

    def __init__(self, issues: list[Issue]):
        super().__init__("; ".join(i.render() for i in issues))
        self.issues = issues


def file_issue(id_text: str, en_text: str) -> FileRejected:
    return FileRejected([Issue(id_text, en_text)])


FORMULA_PREFIXES = ("=", "+", "-", "@")


def neutralise_for_csv(text: str) -> str:
    """Spreadsheet apps run cells starting with = + - @ (or tab/CR) as formulas: prefix a quote."""
    if text and (text[0] in FORMULA_PREFIXES or text[0] in "\t\r"):
        return "'" + text
    return text
