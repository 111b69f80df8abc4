"""Admin list views whose CSV export a spreadsheet cannot run as formulas (the inbox, the page's submissions)."""

from __future__ import annotations

from wagtail.contrib.forms.views import SubmissionsListView
from wagtail_modeladmin.views import IndexView

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


class AppointmentRequestIndexView(FormulaEscapingExportMixin, IndexView):
    """The inbox list (wagtail-modeladmin) and its CSV export."""


class ContactSubmissionsListView(FormulaEscapingExportMixin, SubmissionsListView):
    """Wagtail's own submissions listing for a contact page exports the same data: escape it too."""
