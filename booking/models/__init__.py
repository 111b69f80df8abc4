from booking.models.contact import ContactFormField, ContactPage
from booking.models.office_hours import HoursException, OfficeHours, WeeklyRange
from booking.models.requests import AppointmentRequest

__all__ = [
    "AppointmentRequest",
    "ContactFormField",
    "ContactPage",
    "HoursException",
    "OfficeHours",
    "WeeklyRange",
]
