"""Excel files the system hands out: what a user typed is written as text and can never run as a formula.

A petitioner's name, a case title or a user name typed at the sign-in page can start with "=", and
Excel evaluates such a cell as a formula when the sheet is opened (=HYPERLINK(...) makes a link to
anywhere, DDE formulas start programs): CSV/formula injection. Every export goes through this module:

- the workbook never turns a string into a formula, a number or a link by itself;
- a string is always written as a string cell; one that starts with =, +, -, @, a tab or a carriage
  return also gets Excel's quote prefix (what typing a leading ' does in Excel), so that it stays text
  even when somebody edits the cell and presses Enter. The text itself is unchanged;
- numbers stay numbers and dates stay dates (with a date format), so sums and sorting still work.
"""

import datetime as dt
from decimal import Decimal

import xlsxwriter

# OWASP's list of the characters that make a spreadsheet cell a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


def workbook(target, options: dict | None = None) -> xlsxwriter.Workbook:
    """An xlsxwriter workbook that writes every string as it is given (no formulas, numbers or links
    guessed from text), whatever write method a caller uses."""
    return xlsxwriter.Workbook(
        target,
        {
            **(options or {}),
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


class Style:
    """One cell format in its variants: plain, quote-prefixed text, date and date-time. Made once per
    workbook with `Cells.style(...)`."""

    def __init__(self, book: xlsxwriter.Workbook, properties: dict):
        self._book = book
        self._properties = dict(properties)
        self._variants: dict[str, object] = {}

    def _variant(self, name: str, extra: dict):
        if name not in self._variants:
            self._variants[name] = self._book.add_format({**self._properties, **extra})
        return self._variants[name]

    @property
    def plain(self):
        return self._variant("plain", {})

    @property
    def quoted(self):
        return self._variant("quoted", {"quote_prefix": True})

    @property
    def date(self):
        return self._variant("date", {"num_format": self._properties.get("num_format", DATE_FORMAT)})

    @property
    def moment(self):
        return self._variant("moment", {"num_format": DATETIME_FORMAT})


class Cells:
    """Writes values onto the sheets of one workbook, each by its type."""

    def __init__(self, book: xlsxwriter.Workbook):
        self.book = book
        self._default = Style(book, {})

    def style(self, **properties) -> Style:
        return Style(self.book, properties)

    def write(self, sheet, row: int, col: int, value, style: Style | None = None) -> None:
        style = style or self._default
        if value is None or value == "":
            sheet.write_blank(row, col, None, style.plain)
        elif isinstance(value, bool):
            sheet.write_boolean(row, col, value, style.plain)
        elif isinstance(value, int | float | Decimal):
            sheet.write_number(row, col, float(value), style.plain)
        elif isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                raise ValueError("Excel has no time zones: pass the local time, without tzinfo")
            sheet.write_datetime(row, col, value, style.moment)
        elif isinstance(value, dt.date):
            sheet.write_datetime(row, col, value, style.date)
        else:
            text = str(value)
            sheet.write_string(row, col, text, style.quoted if is_formula_like(text) else style.plain)

    def row(self, sheet, row: int, col: int, values, style: Style | None = None) -> None:
        for offset, value in enumerate(values):
            self.write(sheet, row, col + offset, value, style)
