"""Site-wide settings the counselor edits under Settings > Practice details."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

DEFAULT_CRISIS_NOTICE = (
    "If you are in crisis, call or text 988 (Suicide & Crisis Lifeline). "
    "In an emergency, call 911 or go to the nearest emergency room."
)


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

    panels = [
        MultiFieldPanel([FieldPanel("practice_name"), FieldPanel("tagline")], heading="Practice"),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("address"), FieldPanel("show_address")],
            heading="Contact details",
        ),
        MultiFieldPanel(
            [FieldPanel("accepting_new_clients"), FieldPanel("new_clients_note")], heading="New clients"
        ),
        FieldPanel("crisis_notice"),
    ]

    class Meta:
        verbose_name = "practice details"

    @classmethod
    def for_site(cls, site):
        """Read once per page-cache generation: every page's header and footer show these details."""
        from home.frame_cache import remember

        return remember(f"practice-settings:{site.pk}", lambda: super(PracticeSettings, cls).for_site(site))
