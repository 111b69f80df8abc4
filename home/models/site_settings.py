"""Site-wide settings the counselor edits under Settings > Practice details."""

import re

from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page

from home.frame_cache import remember
from home.visibility import public_pages

DEFAULT_CRISIS_NOTICE = (
    "If you are in crisis, call or text 988 (Suicide & Crisis Lifeline). "
    "In an emergency, call 911 or go to the nearest emergency room."
)
DEFAULT_CALL_TO_ACTION_HEADING = "Would you like to talk it through?"
DEFAULT_CALL_TO_ACTION_TEXT = (
    "A first conversation is free and without obligation. Send a short request and the counselor will reply "
    "personally to find a time that suits you."
)
DEFAULT_CALL_TO_ACTION_BUTTON = "Request an appointment"


@register_setting(icon="site")
class PracticeSettings(BaseSiteSetting):
    practice_name = models.CharField(
        max_length=120, default="Counseling practice", verbose_name="practice name"
    )
    tagline = models.CharField(max_length=200, blank=True, verbose_name="tagline")
    phone = models.CharField(max_length=40, blank=True, verbose_name="phone")
    email = models.EmailField(blank=True, verbose_name="email")
    address = models.TextField(blank=True, max_length=400, verbose_name="street address")
    show_address = models.BooleanField(
        default=True,
        verbose_name="show the street address",
        help_text="Some counselors share the address only before the first session.",
    )
    accepting_new_clients = models.BooleanField(default=True, verbose_name="accepting new clients")
    new_clients_note = models.CharField(
        max_length=250,
        blank=True,
        verbose_name="note about new clients",
        help_text='Shown on the contact page and in confirmations, e.g. "Waiting list of about four weeks".',
    )
    crisis_notice = models.TextField(
        max_length=500,
        default=DEFAULT_CRISIS_NOTICE,
        verbose_name="crisis notice",
        help_text="Shown in the footer of every page and in every confirmation email.",
    )
    crisis_line = models.CharField(
        max_length=16,
        default="988",
        validators=[RegexValidator(r"^\+?[0-9]{3,15}$", "Please enter digits only, for example 988.")],
        verbose_name="crisis line number",
        help_text="Shown at the top of every page as “In crisis? Call or text 988”, with links that call or text "
        "it from a phone. The line must take both calls and texts.",
    )
    call_to_action_heading = models.CharField(
        max_length=120,
        default=DEFAULT_CALL_TO_ACTION_HEADING,
        verbose_name="heading",
    )
    call_to_action_text = models.TextField(
        max_length=400,
        blank=True,
        default=DEFAULT_CALL_TO_ACTION_TEXT,
        verbose_name="text",
    )
    call_to_action_button = models.CharField(
        max_length=60,
        default=DEFAULT_CALL_TO_ACTION_BUTTON,
        verbose_name="button label",
    )
    call_to_action_page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="button leads to",
        help_text="Usually the contact page. Without a published page here, the box is not shown.",
    )

    panels = [
        MultiFieldPanel([FieldPanel("practice_name"), FieldPanel("tagline")], heading="Practice"),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("address"), FieldPanel("show_address")],
            heading="Contact details",
        ),
        MultiFieldPanel(
            [FieldPanel("accepting_new_clients"), FieldPanel("new_clients_note")], heading="New clients"
        ),
        MultiFieldPanel([FieldPanel("crisis_notice"), FieldPanel("crisis_line")], heading="Crisis help"),
        MultiFieldPanel(
            [
                FieldPanel("call_to_action_heading"),
                FieldPanel("call_to_action_text"),
                FieldPanel("call_to_action_button"),
                FieldPanel("call_to_action_page"),
            ],
            heading="Invitation at the end of each blog post",
            help_text="Written once, shown under every post with whether you are accepting new clients.",
        ),
    ]

    class Meta:
        verbose_name = "practice details"

    @classmethod
    def for_site(cls, site):
        """Read once per page-cache generation: every page's header and footer show these details."""
        return remember(f"practice-settings:{site.pk}", lambda: super(PracticeSettings, cls).for_site(site))

    @property
    def phone_link(self) -> str:
        """The practice's phone as a tel: URI: digits and a leading +, whatever spacing the counselor typed."""
        return tel_uri(self.phone)

    @property
    def call_to_action_url(self) -> str:
        """The URL of the call to action's page if it is live and public, else "" (the box is then not shown).

        Read once per page-cache generation: publishing, moving or unpublishing that page starts a new one.
        """
        page_id = self.call_to_action_page_id
        if page_id is None:
            return ""
        return remember(f"call-to-action-url:{page_id}", lambda: _live_public_url(page_id))


def tel_uri(number: str) -> str:
    """ "(603) 555-0142" -> "tel:6035550142"; "" when there is no digit to call."""
    digits = re.sub(r"[^0-9+]", "", number)
    return f"tel:{digits}" if any(char.isdigit() for char in digits) else ""


def _live_public_url(page_id: int) -> str:
    page = public_pages(Page.objects.filter(pk=page_id)).first()
    return (page.get_url() or "") if page else ""
