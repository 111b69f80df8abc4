"""The office-hours time zone field: a short list to pick from, searchable as you type, that still takes any
IANA name (the model's validator checks it).

A text input with a `<datalist>` rather than a select of some 600 names: the browser filters the suggestions by
what the counselor types, in the zone's name and in its plain label ("Pacific", "Chicago"), with no script.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.html import format_html, format_html_join

# The zones a practice in North America or Europe most likely keeps, with the names people use for them.
COMMON_TIME_ZONES: tuple[tuple[str, str], ...] = (
    ("America/New_York", "Eastern Time (New York)"),
    ("America/Chicago", "Central Time (Chicago)"),
    ("America/Denver", "Mountain Time (Denver)"),
    ("America/Phoenix", "Mountain Time without daylight saving (Phoenix)"),
    ("America/Los_Angeles", "Pacific Time (Los Angeles)"),
    ("America/Anchorage", "Alaska Time (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii Time (Honolulu)"),
    ("America/Halifax", "Atlantic Time (Halifax)"),
    ("America/St_Johns", "Newfoundland Time (St. John's)"),
    ("America/Toronto", "Eastern Time (Toronto)"),
    ("America/Winnipeg", "Central Time (Winnipeg)"),
    ("America/Edmonton", "Mountain Time (Edmonton)"),
    ("America/Vancouver", "Pacific Time (Vancouver)"),
    ("America/Mexico_City", "Central Mexico (Mexico City)"),
    ("Europe/London", "United Kingdom (London)"),
    ("Europe/Dublin", "Ireland (Dublin)"),
    ("Europe/Lisbon", "Portugal (Lisbon)"),
    ("Europe/Paris", "Central European Time (Paris)"),
    ("Europe/Berlin", "Central European Time (Berlin)"),
    ("Europe/Madrid", "Central European Time (Madrid)"),
    ("Europe/Rome", "Central European Time (Rome)"),
    ("Europe/Amsterdam", "Central European Time (Amsterdam)"),
    ("Europe/Zurich", "Central European Time (Zurich)"),
    ("Europe/Stockholm", "Central European Time (Stockholm)"),
    ("Europe/Warsaw", "Central European Time (Warsaw)"),
    ("Europe/Athens", "Eastern European Time (Athens)"),
    ("Europe/Helsinki", "Eastern European Time (Helsinki)"),
)
PRACTICE_LABEL = "The practice's time zone"


def time_zone_suggestions() -> list[tuple[str, str]]:
    """The practice's zone (settings.TIME_ZONE) first, then the common zones, each once."""
    labels = dict(COMMON_TIME_ZONES)
    practice = settings.TIME_ZONE
    practice_label = f"{PRACTICE_LABEL}: {labels[practice]}" if practice in labels else PRACTICE_LABEL
    return [(practice, practice_label)] + [
        (name, label) for name, label in COMMON_TIME_ZONES if name != practice
    ]


class TimeZoneInput(forms.TextInput):
    """A text input whose suggestions are `time_zone_suggestions()`."""

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None) -> str:
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or 'id_' + name}-suggestions"
        attrs["list"] = list_id
        options = format_html_join("", '<option value="{}">{}</option>', time_zone_suggestions())
        return format_html(
            '{}<datalist id="{}">{}</datalist>',
            super().render(name, value, attrs, renderer),
            list_id,
            options,
        )
