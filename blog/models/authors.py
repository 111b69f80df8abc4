"""The people who write the blog. A snippet, so one author is edited once and chosen on many posts."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.images import get_image_model_string


class Author(models.Model):
    name = models.CharField(max_length=120, verbose_name="name")
    credentials = models.CharField(
        max_length=60,
        blank=True,
        verbose_name="credentials",
        help_text='Letters shown after the name, such as "LCMHC".',
    )
    photo = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="photo",
    )
    bio = models.TextField(
        max_length=600,
        blank=True,
        verbose_name="short biography",
        help_text="Two or three sentences shown under each post.",
    )

    panels = [FieldPanel("name"), FieldPanel("credentials"), FieldPanel("photo"), FieldPanel("bio")]

    class Meta:
        ordering = ["name"]
        verbose_name = "author"
        verbose_name_plural = "authors"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """ "Maya Ellison, LCMHC": the name as it appears in a byline and in feeds."""
        return f"{self.name}, {self.credentials}" if self.credentials else self.name
