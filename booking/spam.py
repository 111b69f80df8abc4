"""The contact form's spam protection: `site_project.form_protection` with the contact form's settings.

The honeypot, the signed start time and the per-address rate limit (and its rule while Redis is down) are
described there; the contact form's limits are CONTACT_MIN_FILL_SECONDS, CONTACT_RATE_LIMIT and
CONTACT_RATE_LIMIT_WINDOW_SECONDS.
"""

from __future__ import annotations

from site_project.form_protection import HONEYPOT_FIELD, STARTED_FIELD, FormProtection

__all__ = [
    "CONTACT_FORM",
    "HONEYPOT_FIELD",
    "STARTED_FIELD",
    "check_started_token",
    "hit_rate_limit",
    "make_started_token",
]

CONTACT_FORM = FormProtection(
    label="Contact form",
    salt="booking.contact-form.started",
    rate_bucket="booking:contact-rate",
    min_fill_setting="CONTACT_MIN_FILL_SECONDS",
    rate_limit_setting="CONTACT_RATE_LIMIT",
    rate_window_setting="CONTACT_RATE_LIMIT_WINDOW_SECONDS",
)
hit_rate_limit = CONTACT_FORM.hit_rate_limit
make_started_token = CONTACT_FORM.make_started_token
check_started_token = CONTACT_FORM.check_started_token
