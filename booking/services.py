"""Service functions for appointment requests: keyword-only, typed, one transaction each.

`submit_appointment_request` writes the request and one outbox row per email in the same transaction and, after
commit, hands only the row ids to Celery. If the broker is down, the request still succeeds: the rows stay pending
and `booking.tasks.resend_unsent_mail` sends them later. Logs name ids only, never what a visitor wrote.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction

from booking.forms.contact import Purpose, purpose_of
from booking.models import AppointmentRequest, ContactPage, OutboxEmail
from booking.spam import HONEYPOT_FIELD, STARTED_FIELD

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


def enqueue_outbox(outbox_ids: Iterable[int]) -> None:
    """Hand each outbox row to Celery; a broker failure is logged (no personal data) and left to the beat job."""
    from booking.tasks import send_outbox_mail

    for outbox_id in outbox_ids:
        try:
            send_outbox_mail.delay(outbox_id)
        except Exception as error:  # any broker failure: the row stays pending for the resend job
            logger.warning(
                "Could not enqueue outbox email %s (%s); the resend job will send it",
                outbox_id,
                type(error).__name__,
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
        emails = [OutboxEmail(request=request, kind=OutboxEmail.Kind.CONFIRMATION, recipient=request.email)]
        notify = page.notification_address()
        if notify:
            emails.append(OutboxEmail(request=request, kind=OutboxEmail.Kind.NOTIFICATION, recipient=notify))
        for email in emails:
            email.save()
        transaction.on_commit(partial(enqueue_outbox, [email.pk for email in emails]))
    logger.info("Appointment request %s stored with %s outbox emails", request.pk, len(emails))
    return request


def set_request_status(
    *, request: AppointmentRequest, status: AppointmentRequest.Status
) -> AppointmentRequest:
    request.status = status
    request.save(update_fields=["status"])
    return request
