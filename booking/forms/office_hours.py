"""The admin form for the OfficeHours snippet: checks the inline rows against each other.

A row's own check (closing after opening) is the child model's `clean()`. Overlaps and repeated exception dates
involve several rows, so the parent form checks the inline formsets and puts each message on the row at fault,
where the editor sees it next to the times.
"""

from wagtail.admin.forms import WagtailAdminModelForm

from booking.hours import range_problems


def _live_forms(formset) -> list:
    """Child forms that validated on their own and are not being deleted."""
    forms = []
    for form in formset.forms:
        if not form.is_valid() or (formset.can_delete and formset._should_delete_form(form)):
            continue
        if form.empty_permitted and not form.has_changed():
            continue
        forms.append(form)
    return forms


class OfficeHoursAdminForm(WagtailAdminModelForm):
    def clean(self):
        cleaned_data = super().clean()
        ranges = self.formsets.get("weekly_ranges")
        if ranges is not None:
            rows = [
                (
                    form,
                    form.cleaned_data.get("weekday"),
                    form.cleaned_data.get("opens"),
                    form.cleaned_data.get("closes"),
                )
                for form in _live_forms(ranges)
            ]
            for form, message in range_problems(rows):
                form.add_error("opens", message)
        exceptions = self.formsets.get("exceptions")
        if exceptions is not None:
            seen = set()
            for form in _live_forms(exceptions):
                day = form.cleaned_data.get("date")
                if day in seen:
                    form.add_error(
                        "date", f"{day:%B} {day.day}, {day.year} already has an exception; edit that one."
                    )
                seen.add(day)
        return cleaned_data
