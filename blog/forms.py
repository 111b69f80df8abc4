"""The blog post's admin form: the hero image needs a description or the "decorative" tick, checked only when
the post is published or submitted, so choosing an image never pauses autosave or a draft."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm

HERO_NEEDS_DESCRIPTION = (
    "This image has no description yet: readers who cannot see it would hear nothing. Add one with "
    "“Edit this image” in the image's menu, or tick “Decorative image” if it is only decoration."
)


class BlogPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        image = cleaned_data.get("hero_image")
        if (
            not self.is_deferred_validation
            and image is not None
            and not cleaned_data.get("hero_image_decorative")
            and not image.description.strip()
        ):
            self.add_error("hero_image", HERO_NEEDS_DESCRIPTION)
        return cleaned_data
