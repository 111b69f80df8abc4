"""A post's hero image takes its alt text from the image's own description (or none, when marked decorative).

Before the post's "hero image alt text" goes, each text is copied into its image's description where that is
still empty, so no reader loses a description. When several posts gave one image different texts, the most
recently published post's text wins.
"""

import wagtail.fields
from django.db import migrations, models


def descriptions_to_copy(posts: list[tuple[int, str, str]]) -> dict[int, str]:
    """From (image id, image description, post's alt text) rows, newest post first: the description each
    undescribed image gets."""
    chosen: dict[int, str] = {}
    for image_id, description, alt_text in posts:
        if image_id not in chosen and not description.strip() and alt_text.strip():
            chosen[image_id] = alt_text.strip()[:255]
    return chosen


def copy_alt_texts_into_descriptions(apps, schema_editor):
    posts = (
        apps.get_model("blog", "BlogPage")
        .objects.exclude(hero_image=None)
        .order_by(models.F("last_published_at").desc(nulls_last=True), "-pk")
        .values_list("hero_image_id", "hero_image__description", "hero_image_alt")
    )
    image_model = apps.get_model("wagtailimages", "Image")
    for image_id, description in descriptions_to_copy(list(posts)).items():
        image_model.objects.filter(pk=image_id).update(description=description)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0004_imported_posts"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.RunPython(copy_alt_texts_into_descriptions, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="blogpage",
            name="hero_image_alt",
        ),
        migrations.AddField(
            model_name="blogpage",
            name="hero_image_decorative",
            field=models.BooleanField(
                default=False,
                help_text="Tick if the image is only decoration: screen readers skip it. Otherwise they read the image's own description.",
                verbose_name="decorative image",
            ),
        ),
        migrations.AlterField(
            model_name="blogpage",
            name="body",
            field=wagtail.fields.StreamField(
                [
                    ("heading", 2),
                    ("paragraph", 3),
                    ("image", 8),
                    ("quote", 11),
                    ("call_to_action", 16),
                    ("embed", 17),
                    ("office_hours", 19),
                ],
                block_lookup={
                    0: ("wagtail.blocks.CharBlock", (), {"label": "Heading", "max_length": 120}),
                    1: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {"choices": [("h2", "Section (H2)"), ("h3", "Subsection (H3)")]},
                    ),
                    2: ("wagtail.blocks.StructBlock", [[("text", 0), ("level", 1)]], {}),
                    3: ("home.blocks.ParagraphBlock", (), {}),
                    4: ("wagtail.images.blocks.ImageChooserBlock", (), {}),
                    5: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {
                            "default": False,
                            "help_text": "Tick if the image is only decoration: screen readers skip it.",
                            "label": "Decorative image",
                            "required": False,
                        },
                    ),
                    6: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "Leave empty to use the image's own description. Write here only if this place needs other words.",
                            "label": "Alt text",
                            "max_length": 250,
                            "required": False,
                        },
                    ),
                    7: ("wagtail.blocks.CharBlock", (), {"max_length": 250, "required": False}),
                    8: (
                        "wagtail.blocks.StructBlock",
                        [[("image", 4), ("decorative", 5), ("alt_text", 6), ("caption", 7)]],
                        {},
                    ),
                    9: ("wagtail.blocks.TextBlock", (), {"max_length": 600}),
                    10: ("wagtail.blocks.CharBlock", (), {"max_length": 120, "required": False}),
                    11: ("wagtail.blocks.StructBlock", [[("quote", 9), ("attribution", 10)]], {}),
                    12: ("wagtail.blocks.CharBlock", (), {"max_length": 120}),
                    13: ("wagtail.blocks.TextBlock", (), {"max_length": 400, "required": False}),
                    14: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"default": "Book a consultation", "max_length": 60},
                    ),
                    15: (
                        "wagtail.blocks.PageChooserBlock",
                        (),
                        {"help_text": "The page the button leads to, such as the contact page."},
                    ),
                    16: (
                        "wagtail.blocks.StructBlock",
                        [[("heading", 12), ("text", 13), ("button_text", 14), ("page", 15)]],
                        {},
                    ),
                    17: (
                        "wagtail.embeds.blocks.EmbedBlock",
                        (),
                        {
                            "help_text": "Paste a link from a video site, e.g. https://www.youtube.com/watch?v=...",
                            "icon": "media",
                            "template": "blocks/embed_block.html",
                        },
                    ),
                    18: ("wagtail.blocks.CharBlock", (), {"default": "Office hours", "max_length": 120}),
                    19: ("wagtail.blocks.StructBlock", [[("heading", 18)]], {}),
                },
                verbose_name="body",
            ),
        ),
    ]
