"""Admin exports that a spreadsheet cannot run as formulas, for every app whose list the counselor exports.

Visitors type the text that ends up in these cells (names, messages, email addresses), and an email address may
legally start with "=" or "+".
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_csv_formula(value: object) -> object:
    """Prefix an apostrophe to text a spreadsheet would read as a formula (=, +, -, @, tab, carriage return)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class FormulaEscapingExportMixin:
    """For SpreadsheetExportMixin views: escape every CSV cell and heading a spreadsheet would run."""

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: escape_csv_formula(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )

    def get_heading(self, queryset, field):
        return escape_csv_formula(super().get_heading(queryset, field))
