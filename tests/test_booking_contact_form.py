"""The contact page: the form, POST-redirect-GET, bad and hostile input, spam, the rate limit, accessibility."""

import logging
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, RequestFactory

from booking.emails import outbox_key
from booking.models import AppointmentRequest
from home.models import PracticeSettings
from site_project.client_ip import client_ip
from site_project.outbox.models import Email
from tests.booking_factories import (
    contact_post,
    make_contact_page,
    make_office_hours,
    make_practice_details,
    started_token,
)

pytestmark = pytest.mark.django_db

NAME = "your_name"
EMAIL = "email_address"
MESSAGE = "short_message"
CONSENT = "i_agree_to_be_contacted_about_my_request"


@pytest.fixture(autouse=True)
def clear_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def practice(site) -> PracticeSettings:
    return make_practice_details(site, new_clients_note="Waiting list of about four weeks.")


@pytest.fixture
def contact_page(home_page, practice):
    make_office_hours()
    return make_contact_page(home_page)


def nothing_stored() -> bool:
    return not AppointmentRequest.objects.exists() and not Email.objects.exists()


def test_form_page_tells_visitors_not_to_send_clinical_details_and_shows_the_crisis_notice(
    client, contact_page
):
    html = client.get(contact_page.url).content.decode()
    assert "Please do not send clinical details or emergencies through this form." in html
    assert 'call or text <a href="tel:988">988</a>' in html
    assert "Willow Test Counseling is accepting new clients." in html
    assert "Waiting list of about four weeks." in html
    assert "24 Alder Street" in html


def test_address_is_hidden_when_the_practice_keeps_it_private(client, contact_page, practice):
    practice.show_address = False
    practice.save()
    assert "24 Alder Street" not in client.get(contact_page.url).content.decode()


def test_form_page_says_when_the_practice_is_not_taking_new_clients(client, contact_page, practice):
    practice.accepting_new_clients = False
    practice.save()
    assert "is not taking new clients at the moment" in client.get(contact_page.url).content.decode()


def test_form_fields_have_labels_required_marks_and_autocomplete(client, contact_page):
    html = client.get(contact_page.url).content.decode()
    assert re.search(r'<label for="id_your_name">Your name <span class="required">\(required\)</span>', html)
    assert re.search(r'<label for="id_phone">Phone <span class="optional">\(optional\)</span>', html)
    assert re.search(r'<input type="text" name="your_name"[^>]*autocomplete="name"', html)
    assert re.search(r'<input type="email" name="email_address"[^>]*autocomplete="email"', html)
    assert re.search(r'<input type="tel" name="phone"[^>]*autocomplete="tel"', html)
    assert re.search(r'name="email_address"[^>]*aria-describedby="id_email_address_helptext"', html)
    assert 'id="id_email_address_helptext"' in html
    assert "<legend>How should we contact you?" in html


def test_honeypot_is_hidden_from_people_and_assistive_technology(client, contact_page):
    html = client.get(contact_page.url).content.decode()
    trap = re.search(r'<div class="form-trap" aria-hidden="true">(.*?)</div>', html, re.S).group(1)
    assert re.search(r'<input type="text" name="website"[^>]*tabindex="-1"', trap)
    assert 'autocomplete="off"' in trap


def test_page_has_no_inline_executable_script(client, contact_page):
    html = client.get(contact_page.url).content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/ld+json"' in tag
    assert re.search(r'<script src="[^"]*booking-form\.js" defer>', html)


def test_valid_request_is_stored_and_redirects_to_the_thank_you_page(client, contact_page):
    response = client.post(contact_page.url, contact_post())
    assert response.status_code == 302
    assert response["Location"] == "/contact/thanks/"
    request = AppointmentRequest.objects.get()
    assert (request.name, request.email, request.phone) == ("Ana Lima", "ana@example.org", "+1 603 555 0100")
    assert request.preferred_contact == "Email"
    assert request.preferred_times == "Weekday mornings"
    assert request.message == "I would like to talk about stress at work."
    assert request.consent is True
    assert request.status == AppointmentRequest.Status.NEW
    assert request.form_data == {}
    assert sorted(Email.objects.values_list("key", "to", "status")) == [
        (outbox_key(request.pk, "confirmation"), ["ana@example.org"], "pending"),
        (outbox_key(request.pk, "notification"), ["counselor@practice.example"], "pending"),
    ]


def test_mail_is_sent_after_the_transaction_commits(client, contact_page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(contact_page.url, contact_post())
        assert mail.outbox == []
    assert len(callbacks) == 2
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "counselor@practice.example"]
    assert set(Email.objects.values_list("status", flat=True)) == {"sent"}


def test_thank_you_page_says_received_not_confirmed_and_when_to_expect_a_reply(client, contact_page):
    response = client.post(contact_page.url, contact_post(), follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [("/contact/thanks/", 302)]
    assert "It is not yet confirmed: we will reply by the end of" in html
    assert 'call or text <a href="tel:988">988</a>' in html
    assert '<meta name="robots" content="noindex">' in html


def test_refreshing_the_thank_you_page_sends_nothing_again(client, contact_page):
    client.post(contact_page.url, contact_post(), follow=True)
    client.get("/contact/thanks/")
    client.get("/contact/thanks/")
    assert AppointmentRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (EMAIL, "not-an-address", "Enter a valid email address."),
        (EMAIL, "ana@example.org\nBcc: victim@example.org", "Enter a valid email address."),
        (NAME, "Ana\r\nBcc: victim@example.org", "Please keep this on one line, without line breaks."),
        (NAME, "Ana\u2028Lima", "Please keep this on one line, without line breaks."),
        ("phone", "555\n0100", "Please keep this on one line, without line breaks."),
        (NAME, "A" * 121, "Ensure this value has at most 120 characters (it has 121)."),
        (MESSAGE, "x" * 2001, "Ensure this value has at most 2000 characters (it has 2001)."),
        (MESSAGE, "hello\x07bell", "Please remove the invisible control characters from this text."),
        (NAME, "", "This field is required."),
        (CONSENT, None, "This field is required."),
    ],
)
def test_bad_input_gets_a_clear_error_tied_to_its_field_and_stores_nothing(
    client, contact_page, field, value, message
):
    response = client.post(contact_page.url, contact_post(**{field: value}))
    html = response.content.decode()
    assert response.status_code == 200
    assert nothing_stored()
    assert mail.outbox == []
    summary = re.search(r'<div class="error-summary" id="error-summary"[^>]*>(.*?)</div>', html, re.S).group(
        1
    )
    assert f'href="#id_{field}"' in summary
    assert f'<p class="field-error" id="id_{field}_error">{message}' in html.replace("&#x27;", "'")
    assert re.search(rf'name="{field}"[^>]*aria-invalid="true"', html)
    assert re.search(rf'name="{field}"[^>]*aria-describedby="[^"]*id_{field}_error"', html)
    assert "<title>Error: " in html


def test_html_in_the_message_is_stored_as_text_and_escaped_when_shown(client, contact_page):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = client.post(contact_page.url, contact_post(**{MESSAGE: hostile, EMAIL: "bad"}))
    assert "<script>alert" not in response.content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in response.content.decode()
    client.post(contact_page.url, contact_post(**{MESSAGE: hostile}))
    assert AppointmentRequest.objects.get().message == hostile


def test_emoji_and_other_scripts_are_kept_intact(client, contact_page):
    name = "Zoë Åström 李雷 محمد"
    message = "Bonjour 👋🏽 — Привет, שלום, नमस्ते 🌿"
    client.post(contact_page.url, contact_post(**{NAME: name, MESSAGE: message}))
    request = AppointmentRequest.objects.get()
    assert (request.name, request.message) == (name, message)


def test_a_post_without_csrf_token_is_refused(contact_page):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(contact_page.url, contact_post())
    assert response.status_code == 403
    assert nothing_stored()


def test_a_filled_honeypot_is_refused_politely_and_never_stored_or_mailed(client, contact_page, caplog):
    with caplog.at_level(logging.WARNING):
        response = client.post(contact_page.url, contact_post(website="http://spam.example"))
    assert response.status_code == 200
    assert "We could not accept this form." in response.content.decode()
    assert nothing_stored()
    assert mail.outbox == []
    assert "spam (honeypot" in caplog.text


def test_a_form_sent_faster_than_a_person_can_type_is_refused(client, contact_page):
    response = client.post(contact_page.url, contact_post(form_started=started_token(seconds_ago=1)))
    assert "That was quicker than we expected." in response.content.decode()
    assert nothing_stored()


def test_minimum_fill_time_is_configurable(client, contact_page, settings):
    settings.CONTACT_MIN_FILL_SECONDS = 0
    response = client.post(contact_page.url, contact_post(form_started=started_token(seconds_ago=0)))
    assert response.status_code == 302


@pytest.mark.parametrize("kind", ["missing", "empty", "forged", "tampered signature"])
def test_a_missing_or_forged_start_token_is_refused(client, contact_page, kind):
    token = {
        "missing": None,
        "empty": "",
        "forged": "forged:token",
        "tampered signature": started_token()[:-3] + "abc",
    }[kind]
    response = client.post(contact_page.url, contact_post(form_started=token))
    assert "We could not accept this form." in response.content.decode()
    assert nothing_stored()


def test_an_expired_form_asks_to_send_again_with_a_fresh_token(client, contact_page):
    response = client.post(contact_page.url, contact_post(form_started=started_token(seconds_ago=2 * 86400)))
    html = response.content.decode()
    assert "This form was open for a long time." in html
    fresh = re.search(r'name="form_started" value="([^"]+)"', html).group(1)
    assert nothing_stored()
    # The fresh token is for now, so sending the same data at once is too fast rather than expired.
    again = client.post(contact_page.url, contact_post(form_started=fresh))
    assert "That was quicker than we expected." in again.content.decode()


def test_rate_limit_answers_429_with_a_friendly_page_per_address(client, contact_page, settings):
    settings.CONTACT_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post(contact_page.url, contact_post(), REMOTE_ADDR="203.0.113.7").status_code == 302
    response = client.post(contact_page.url, contact_post(), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Please wait a little before sending again" in html
    assert "(603) 555-0142" in html
    assert AppointmentRequest.objects.count() == 2
    assert client.post(contact_page.url, contact_post(), REMOTE_ADDR="198.51.100.9").status_code == 302
    assert client.get(contact_page.url, REMOTE_ADDR="203.0.113.7").status_code == 200


def test_rate_limit_ignores_a_forged_forwarded_for_header(client, contact_page, settings):
    settings.CONTACT_RATE_LIMIT = 1
    client.post(contact_page.url, contact_post(), REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.0.0.1")
    response = client.post(
        contact_page.url, contact_post(), REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.0.0.2"
    )
    assert response.status_code == 429


def test_client_ip_trusts_forwarded_for_only_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    factory = RequestFactory()
    direct = factory.get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_ip(direct) == "203.0.113.7"
    proxied = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1")
    assert client_ip(proxied) == "198.51.100.1"
    chained = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.1, 10.0.0.5")
    assert client_ip(chained) == "198.51.100.1"
    garbage = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_ip(garbage) == "10.0.0.5"


def test_logs_never_hold_what_a_visitor_wrote(
    client, contact_page, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        client.post(contact_page.url, contact_post(**{NAME: "Secret Name", MESSAGE: "secret words"}))
        client.post(
            contact_page.url, contact_post(**{NAME: "Secret Name", EMAIL: "bad", MESSAGE: "secret words"})
        )
    assert AppointmentRequest.objects.count() == 1
    for private in ("Secret Name", "secret words", "ana@example.org"):
        assert private not in caplog.text


def test_extra_fields_an_editor_adds_are_kept_with_the_request(client, home_page, practice):
    from booking.demo import FORM_FIELDS

    fields = [
        *FORM_FIELDS,
        {"label": "How did you hear of us?", "field_type": "singleline", "required": False},
    ]
    page = make_contact_page(home_page, form_fields=fields)
    client.post(page.url, contact_post(how_did_you_hear_of_us="A friend"))
    assert AppointmentRequest.objects.get().form_data == {"how_did_you_hear_of_us": "A friend"}


def test_editor_cannot_save_a_contact_form_without_an_email_field(admin_client, home_page):
    from django.urls import reverse
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    from booking.models import ContactPage

    url = reverse("wagtailadmin_pages:add", args=("booking", "contactpage", home_page.pk))
    data = nested_form_data(
        {
            "title": "Contact",
            "slug": "contact",
            "intro": streamfield([]),
            "thank_you_body": streamfield([]),
            "notification_email": "",
            "confirmation_subject": "Thanks {first_name}",
            "confirmation_text": "Dear {first_name}",
            "form_fields": inline_formset(
                [
                    {"label": "Name", "field_type": "singleline", "required": "on", "purpose": "name"},
                    {"label": "Phone", "field_type": "email", "required": "", "purpose": "phone"},
                ]
            ),
        }
    )
    response = admin_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "The form needs a field for the visitor&#x27;s email address" in html
    assert "A field for the phone number must be of type: singleline." in html
    assert not ContactPage.objects.exists()
