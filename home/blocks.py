"""StreamField blocks shared by every page type.

One StructBlock per concept. `BaseStreamBlock` is what standard pages and blog posts build on;
`HomeStreamBlock` adds the hero and the two places that other apps fill through their template tags
(the latest posts from `blog`, the office hours from `booking`), so `home` never imports them.
"""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4"]


def image_alt_text(image, alt_text: str | None = None, decorative: bool = False) -> str:
    """The alt text of a placed image: empty when decorative, else the placement's own words or the image's
    description."""
    if decorative or image is None:
        return ""
    return (alt_text or "").strip() or image.description.strip()


def describe_image(image, description: str) -> None:
    """Give an image a description (its alt text wherever it is placed) unless it already has one."""
    if image is not None and not image.description.strip() and description.strip():
        image.description = description.strip()[:255]
        image.save(update_fields=["description"])


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120, label="Heading")
    level = blocks.ChoiceBlock(choices=[("h2", "Section (H2)"), ("h3", "Subsection (H3)")], default="h2")

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        description = "A section heading; it also appears in the page outline for screen readers."
        preview_value = {"text": "What to expect in a first session", "level": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph_block.html"
        description = "Text with bold, italic, links and short lists."
        preview_value = "<p>Therapy is a conversation with a purpose, at a pace that suits you.</p>"


class ImageBlock(blocks.StructBlock):
    """An image whose alt text is asked once: the image's own description, unless this place needs other words
    or the image is decorative (empty alt, screen readers skip it).

    Wagtail's own `ImageBlock` copies the image's description, or failing that its title, into every placement;
    a title ("IMG_2041") is not a description, and a copy does not follow later fixes to the description. Here an
    empty alt text field means "use the image's description" at render time.
    """

    image = ImageChooserBlock()
    decorative = blocks.BooleanBlock(
        required=False,
        default=False,
        label="Decorative image",
        help_text="Tick if the image is only decoration: screen readers skip it.",
    )
    alt_text = blocks.CharBlock(
        required=False,
        max_length=250,
        label="Alt text",
        help_text="Leave empty to use the image's own description. Write here only if this place needs other words.",
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    def clean(self, value):
        value = super().clean(value)
        image = value.get("image")
        if self.is_deferred_validation or image is None or value.get("decorative"):
            return value
        if not (value.get("alt_text") or "").strip() and not image.description.strip():
            raise blocks.StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(
                        "This image has no description yet. Describe it here, add a description to the image, "
                        "or tick “Decorative image”."
                    )
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["alt"] = image_alt_text(value.get("image"), value.get("alt_text"), value.get("decorative"))
        return context

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        description = "An image with an optional caption; its alt text is the image's description."


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(max_length=600)
    attribution = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        description = "A pull quote that stands out from the text."
        preview_value = {"quote": "Small steps, taken often, change a life.", "attribution": ""}


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False, max_length=400)
    button_text = blocks.CharBlock(max_length=60, default="Book a consultation")
    page = blocks.PageChooserBlock(help_text="The page the button leads to, such as the contact page.")

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action_block.html"
        description = "A highlighted box with a button that leads to another page."


class HeroBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False, max_length=400)
    button_text = blocks.CharBlock(required=False, max_length=60)
    button_page = blocks.PageChooserBlock(required=False)

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("button_text")) != bool(value.get("button_page")):
            raise blocks.StructBlockValidationError(
                block_errors={"button_page": ValidationError("A button needs both its text and a page.")}
            )
        return value

    class Meta:
        icon = "home"
        template = "blocks/hero_block.html"
        description = "The large welcome at the top of the home page."


class LatestPostsBlock(blocks.StructBlock):
    """A place for the newest live blog posts; the blog app's template tag fills it."""

    heading = blocks.CharBlock(max_length=120, default="From the blog")
    count = blocks.IntegerBlock(min_value=1, max_value=12, default=3, label="Number of posts")

    class Meta:
        icon = "doc-full"
        template = "blocks/latest_posts_block.html"
        description = "The newest published blog posts."


class OfficeHoursBlock(blocks.StructBlock):
    """A place for the office hours; the booking app's template tag fills it."""

    heading = blocks.CharBlock(max_length=120, default="Office hours")

    class Meta:
        icon = "time"
        template = "blocks/office_hours_block.html"
        description = "This week's office hours, with today marked and whether the office is open now."


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    embed = EmbedBlock(
        help_text="Paste a link from a video site, e.g. https://www.youtube.com/watch?v=...",
        icon="media",
        template="blocks/embed_block.html",
    )
    office_hours = OfficeHoursBlock()


class HomeStreamBlock(BaseStreamBlock):
    hero = HeroBlock()
    latest_posts = LatestPostsBlock()
