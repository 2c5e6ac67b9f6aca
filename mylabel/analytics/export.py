"""A report as a CSV file, streamed row by row (``StreamingHttpResponse``), so a large report
never sits in memory; past ``EXPORT_MAX_ROWS`` rows the file ends with a line saying so.

Cells are written for spreadsheets: text that a spreadsheet would run as a formula (starting
with = + - @, or a tab or carriage return) is prefixed with an apostrophe (OWASP's CSV injection
advice). Only the text columns need it: the numbers are ours.
"""

import csv
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .reports import EXPORT_MAX_ROWS, Report

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file whose ``write`` hands the line back, so ``csv.writer`` can feed a generator."""

    def write(self, value: str) -> str:
        return value


def spreadsheet_safe(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def format_value(value: Any, *, month: bool = False) -> str:
    """A report cell as text: months as YYYY-MM, amounts and averages with two decimals."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%Y-%m") if month else value.isoformat()
    if isinstance(value, float | Decimal):
        return f"{Decimal(str(value)).quantize(Decimal('0.01'))}"
    return str(value)


def _cell(text: str, *, numeric: bool) -> str:
    return text if numeric else spreadsheet_safe(text)


def csv_lines(report: Report) -> Iterator[str]:
    """The header, then the rows; the translated texts are made before the first line is sent
    (the response outlives the request's active language)."""
    writer = csv.writer(_Echo())
    columns = report.columns()
    header = [spreadsheet_safe(str(column.label)) for column in columns]
    cut_off = _(
        "Stopped after %(max)d rows: narrow the date range or add filters to export the rest."
    ) % {"max": EXPORT_MAX_ROWS}
    month = report.group_by == "month"

    def lines() -> Iterator[str]:
        yield writer.writerow(header)
        rows = report.rows()[: EXPORT_MAX_ROWS + 1].iterator(chunk_size=1000)
        for count, row in enumerate(rows):
            if count == EXPORT_MAX_ROWS:
                yield writer.writerow([cut_off])
                return
            yield writer.writerow(
                [
                    _cell(format_value(row[column.key], month=month), numeric=column.numeric)
                    for column in columns
                ]
            )

    return lines()
