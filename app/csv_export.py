"""CSV for spreadsheets, one writer for every export: text a spreadsheet would run or misread is kept as text.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel, LibreOffice and
Google Sheets (`=HYPERLINK(...)` in a deal name becomes a link that sends data away). Such text cells get a leading
apostrophe, which the spreadsheet shows as plain text (OWASP's advice on CSV injection). The same goes for text
Excel would turn into something else: a date (12/30, 1-5), a number that loses digits (a 12+ digit id) or its
leading zero (0571). ISO dates (2026-12-30) are dates and stay so; numbers stay numbers.
"""

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MISREAD = re.compile(r"^\d{1,2}[/.-]\d{1,2}([/.-]\d{1,4})?$|^\d{12,}$|^0\d+$")
BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with one


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should see it: text starting like a formula, or that Excel would misread, gets a
    leading apostrophe."""
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS) or MISREAD.match(value)):
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable[Any]], *, bom: bool = False, lineterminator: str = "\r\n") -> str:
    """The rows as CSV text, every cell through safe_cell; `bom` puts the byte-order mark first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return (BOM if bom else "") + buffer.getvalue()
