"""Spreadsheet-safe CSV for the secretariat's exports (members, interventions): no cell is ever run
as a formula (OWASP "CSV injection"), and the file opens as UTF-8 in spreadsheet applications."""

import csv

# A cell starting with one of these is read as a formula by spreadsheet applications.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Line:
    """csv.writer's file: each write returns the line instead of storing it."""

    def write(self, line):
        return line


def csv_lines(rows):
    """The CSV of `rows` line by line, for a StreamingHttpResponse (UTF-8 with its BOM)."""
    writer = csv.writer(_Line())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([spreadsheet_text(cell) for cell in row])
