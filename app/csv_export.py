"""CSV for spreadsheets, one writer for every export: text a spreadsheet would run as a formula is neutralised.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel, LibreOffice and
Google Sheets (`=HYPERLINK(...)` in a deal name becomes a link that sends data away). Such text cells get a leading
apostrophe, which the spreadsheet shows as plain text (OWASP's advice on CSV injection). Numbers stay numbers.
"""

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with one


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should see it: text starting like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable[Any]], *, bom: bool = False, lineterminator: str = "\r\n") -> str:
    """The rows as CSV text, every cell through safe_cell; `bom` puts the byte-order mark first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return (BOM if bom else "") + buffer.getvalue()
