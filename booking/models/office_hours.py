"""The OfficeHours snippet: a weekly schedule, dated exceptions and a timezone.

A ClusterableModel because its weekly ranges and exceptions are inline children edited on the same screen and
kept, with the parent, in each revision. Draft state, revisions and locking let the counselor save a draft and
preview it; she publishes the hours herself, so the snippet has no review workflow. The arithmetic lives in
`booking.hours`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
)

from booking.forms.office_hours import OfficeHoursAdminForm
from booking.forms.time_zones import TimeZoneInput
from booking.hours import WEEKDAY_NAMES, DayException, Schedule, TimeRange, is_valid_timezone, range_problems


def validate_timezone(value: str) -> None:
    if not is_valid_timezone(value):
        raise ValidationError(
            "“%(value)s” is not a time zone name. Pick one from the list, or type one such as America/New_York.",
            params={"value": value},
        )


def practice_timezone() -> str:
    """New office hours start in the practice's own time zone."""
    return settings.TIME_ZONE


class Weekday(models.IntegerChoices):
    MONDAY = 0, WEEKDAY_NAMES[0]
    TUESDAY = 1, WEEKDAY_NAMES[1]
    WEDNESDAY = 2, WEEKDAY_NAMES[2]
    THURSDAY = 3, WEEKDAY_NAMES[3]
    FRIDAY = 4, WEEKDAY_NAMES[4]
    SATURDAY = 5, WEEKDAY_NAMES[5]
    SUNDAY = 6, WEEKDAY_NAMES[6]


class OfficeHours(PreviewableMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel):
    name = models.CharField(max_length=120, default="Office hours", verbose_name="name")
    timezone = models.CharField(
        max_length=64,
        default=practice_timezone,
        validators=[validate_timezone],
        verbose_name="time zone",
        help_text="Visitors see the hours, and whether the office is open, in this time zone. "
        "Type to search, e.g. “Chicago” or “Pacific”.",
    )
    note = models.CharField(
        max_length=250,
        blank=True,
        verbose_name="note",
        help_text="Shown under the hours, e.g. “Evening sessions by request”.",
    )

    revisions = GenericRelation(
        "wagtailcore.Revision",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="office_hours",
        for_concrete_model=False,
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("timezone", widget=TimeZoneInput),
        FieldPanel("note"),
        InlinePanel(
            "weekly_ranges",
            heading="Weekly hours",
            label="Opening time",
            help_text="Add one or more ranges per day. A day without a range is closed.",
        ),
        InlinePanel(
            "exceptions",
            heading="Holidays and changed hours",
            label="Exception",
            help_text="A date on which the office is closed or keeps other hours.",
        ),
    ]

    base_form_class = OfficeHoursAdminForm

    class Meta:
        verbose_name = "office hours"
        verbose_name_plural = "office hours"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Refuse ranges that end before they start or overlap (the admin form puts these on the rows)."""
        super().clean()
        problems = range_problems(
            (index, r.weekday, r.opens, r.closes) for index, r in enumerate(self.weekly_ranges.all())
        )
        if problems:
            raise ValidationError([message for _, message in problems])

    def schedule(self) -> Schedule:
        """The pure-Python schedule (`booking.hours.Schedule`) that the template tag and emails use."""
        exceptions = [
            DayException(
                day=exception.date,
                closed=exception.closed,
                ranges=()
                if exception.closed or not (exception.opens and exception.closes)
                else (TimeRange(exception.opens, exception.closes),),
                note=exception.note,
            )
            for exception in self.exceptions.all()
        ]
        return Schedule.build(
            timezone=self.timezone if is_valid_timezone(self.timezone) else practice_timezone(),
            weekly=[(r.weekday, r.opens, r.closes) for r in self.weekly_ranges.all()],
            exceptions=exceptions,
        )

    def get_preview_template(self, request, mode_name: str) -> str:
        return "booking/office_hours_preview.html"

    def get_preview_context(self, request, mode_name: str) -> dict:
        context = super().get_preview_context(request, mode_name)
        context["office_hours"] = self
        return context

    @classmethod
    def current(cls) -> OfficeHours | None:
        """The live office hours the site shows: the first published snippet."""
        return (
            cls.objects.filter(live=True)
            .prefetch_related("weekly_ranges", "exceptions")
            .order_by("pk")
            .first()
        )


class WeeklyRange(Orderable):
    """One opening range on a weekday; several per day are allowed (a lunch break), none means closed."""

    office_hours = ParentalKey(OfficeHours, on_delete=models.CASCADE, related_name="weekly_ranges")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, verbose_name="day")
    opens = models.TimeField(verbose_name="opens")
    closes = models.TimeField(verbose_name="closes")

    panels = [
        FieldRowPanel(
            [FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")],
            classname="booking-hours-row booking-hours-row--weekly",
        )
    ]

    class Meta(Orderable.Meta):
        verbose_name = "opening time"
        verbose_name_plural = "opening times"

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {TimeRange(self.opens, self.closes)}"

    def clean(self) -> None:
        super().clean()
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError(
                {"closes": range_problems([(None, self.weekday, self.opens, self.closes)])[0][1]}
            )


class HoursException(Orderable):
    """A dated change to the weekly pattern: a holiday or closure, or different hours, with a note."""

    office_hours = ParentalKey(OfficeHours, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(verbose_name="date")
    closed = models.BooleanField(default=True, verbose_name="closed all day")
    opens = models.TimeField(null=True, blank=True, verbose_name="opens", help_text="Only when not closed.")
    closes = models.TimeField(null=True, blank=True, verbose_name="closes", help_text="Only when not closed.")
    note = models.CharField(max_length=120, blank=True, verbose_name="note", help_text="e.g. “Thanksgiving”.")

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("closed")], classname="booking-hours-row"),
        FieldRowPanel([FieldPanel("opens"), FieldPanel("closes")], classname="booking-hours-row"),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "exception"
        verbose_name_plural = "exceptions"

    def __str__(self) -> str:
        return f"{self.date}: {'closed' if self.closed else f'{self.opens}–{self.closes}'}"

    def clean(self) -> None:
        super().clean()
        if self.closed:
            return
        errors = {}
        if self.opens is None:
            errors["opens"] = "Give the opening time, or tick “closed all day”."
        if self.closes is None:
            errors["closes"] = "Give the closing time, or tick “closed all day”."
        if not errors and self.closes <= self.opens:
            errors["closes"] = range_problems([(None, 0, self.opens, self.closes)])[0][1]
        if errors:
            raise ValidationError(errors)
