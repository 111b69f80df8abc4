"""Service functions for appointment requests: keyword-only, typed, one transaction each.

`submit_appointment_request` writes the request and hands its two emails to the outbox in the same transaction;
the outbox delivers them after commit. If the broker is down, the request still succeeds: the emails wait in the
outbox and its sweep sends them later. Logs name ids only, never what a visitor wrote.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from booking.emails import CONFIRMATION, NOTIFICATION, build_message, outbox_key
from booking.forms.contact import Purpose, purpose_of
from booking.models import AppointmentRequest, ContactPage
from booking.spam import HONEYPOT_FIELD, STARTED_FIELD
from site_project.outbox import services as outbox

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RequestData:
    name: str
    email: str
    phone: str = ""
    preferred_contact: str = ""
    preferred_times: str = ""
    message: str = ""
    consent: bool = False
    extra: dict = field(default_factory=dict)


def _as_text(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


def request_data_from_form(form, form_fields: Iterable) -> RequestData:
    """Sort the form's cleaned data into the request's columns by each field's purpose; the rest is `extra`."""
    cleaned = dict(form.cleaned_data)
    cleaned.pop(HONEYPOT_FIELD, None)
    cleaned.pop(STARTED_FIELD, None)
    mapped: dict[str, object] = {}
    for form_field in form_fields:
        name = form_field.clean_name or form_field.get_field_clean_name()
        purpose = purpose_of(form_field)
        if purpose and name in cleaned:
            mapped[purpose] = cleaned.pop(name)
    return RequestData(
        name=_as_text(mapped.get(Purpose.NAME)).strip(),
        email=_as_text(mapped.get(Purpose.EMAIL)).strip(),
        phone=_as_text(mapped.get(Purpose.PHONE)).strip(),
        preferred_contact=_as_text(mapped.get(Purpose.PREFERRED_CONTACT)),
        preferred_times=_as_text(mapped.get(Purpose.PREFERRED_TIMES)),
        message=_as_text(mapped.get(Purpose.MESSAGE)),
        consent=bool(mapped.get(Purpose.CONSENT)),
        extra=cleaned,
    )


def submit_appointment_request(*, page: ContactPage, data: RequestData) -> AppointmentRequest:
    with transaction.atomic():
        request = AppointmentRequest.objects.create(
            page=page,
            form_data=data.extra,
            name=data.name,
            email=data.email,
            phone=data.phone,
            preferred_contact=data.preferred_contact,
            preferred_times=data.preferred_times,
            message=data.message,
            consent=data.consent,
        )
        recipients = {CONFIRMATION: request.email}
        notify = page.notification_address()
        if notify:
            recipients[NOTIFICATION] = notify
        stored = sum(_hand_to_outbox(request, kind, recipient) for kind, recipient in recipients.items())
    logger.info("Appointment request %s stored with %s emails", request.pk, stored)
    return request


def _hand_to_outbox(request: AppointmentRequest, kind: str, recipient: str) -> bool:
    """Render one email into the outbox. An email that cannot be rendered or stored (a broken template, a bad
    sender address in the settings) is logged for the site's maintainer; the visitor's request is kept."""
    try:
        outbox.send(build_message(request, kind, recipient), key=outbox_key(request.pk, kind))
    except Exception as error:
        logger.error(
            "The %s of appointment request %s could not be written (%s)",
            kind,
            request.pk,
            type(error).__name__,
            exc_info=True,
        )
        return False
    return True


def set_request_status(
    *, request: AppointmentRequest, status: AppointmentRequest.Status
) -> AppointmentRequest:
    request.status = status
    request.save(update_fields=["status"])
    return request
