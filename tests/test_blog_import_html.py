"""Another blog's HTML becomes the blog's StreamField blocks, without scripts, styles, handlers or pixels."""

from __future__ import annotations

import pytest

from blog.importing.blocks import ImageReference, html_to_blocks
from blog.importing.sanitize import sanitize
from blog.importing.wordpress_content import prepare_wordpress_content
from blog.models import BlogPage

STREAM_BLOCK = BlogPage._meta.get_field("body").stream_block


def convert(html: str, base_url: str = "https://old.example/post/"):
    body, sanitized = html_to_blocks(html, base_url=base_url, stream_block=STREAM_BLOCK)
    return body, sanitized


def test_paragraphs_headings_quotes_lists_images_and_embeds_become_their_blocks():
    body, _ = convert(
        "<h1>Big title</h1><p>One <strong>bold</strong> and <em>soft</em> word.</p>"
        "<ul><li>First</li><li>Second<ul><li>Inside</li></ul></li></ul>"
        "<h4>Small heading</h4>"
        "<blockquote><p>Be gentle with yourself.</p><footer>— A client</footer></blockquote>"
        '<figure><img src="/img/lake.jpg" alt="A lake"><figcaption>Our lake</figcaption></figure>'
        '<iframe src="https://www.youtube.com/embed/abc123XYZ_-"></iframe>'
    )
    assert body.blocks == [
        ("heading", {"text": "Big title", "level": "h2"}),
        (
            "paragraph",
            "<p>One <b>bold</b> and <i>soft</i> word.</p><ul><li>First</li><li>Second</li><li>Inside</li></ul>",
        ),
        ("heading", {"text": "Small heading", "level": "h3"}),
        ("quote", {"quote": "Be gentle with yourself.", "attribution": "A client"}),
        (
            "image",
            ImageReference(url="https://old.example/img/lake.jpg", alt_text="A lake", caption="Our lake"),
        ),
        ("embed", "https://www.youtube.com/watch?v=abc123XYZ_-"),
    ]


def test_scripts_styles_event_handlers_and_unsafe_links_are_dropped_and_counted():
    body, sanitized = convert(
        '<p onclick="steal()">Hello <a href="javascript:alert(1)">there</a>'
        '<img src="x.jpg" onerror="alert(1)" alt="Chairs"></p>'
        "<script>alert('x')</script><style>p { color: red }</style>"
        '<form action="/x"><input name="q"></form><svg onload="alert(1)"></svg>'
    )
    markup = str(body.blocks)
    for banned in ("alert", "onclick", "onerror", "javascript:", "<script", "<style", "color: red", "<form"):
        assert banned not in markup
    assert body.blocks[0] == ("paragraph", "<p>Hello there</p>")
    assert body.blocks[1][1].alt_text == "Chairs"
    assert sanitized.removed == {
        "script": 1,
        "style sheet": 1,
        "form": 1,
        "drawing": 1,
        "event handler": 2,
        "unsafe link": 1,
    }


@pytest.mark.parametrize(
    "pixel",
    [
        '<img src="https://old.example/open.gif" width="1" height="1" alt="">',
        '<img src="https://old.example/o.png" style="display:none">',
        '<img src="https://old.example/o.png" style="width: 1px; height: 1px">',
        '<img src="https://stats.wordpress.com/b.gif?host=old.example" alt="">',
        '<img src="https://feeds.feedburner.com/~r/oldblog/~4/abc" alt="">',
    ],
)
def test_tracking_pixels_are_removed(pixel):
    body, sanitized = convert(f"<p>Read on.{pixel}</p>")
    assert body.blocks == [("paragraph", "<p>Read on.</p>")]
    assert sanitized.removed["tracking pixel"] == 1


def test_a_real_small_image_is_not_mistaken_for_a_pixel():
    body, _ = convert('<img src="/icon.png" width="48" height="48" alt="A leaf">')
    assert body.images == [ImageReference(url="https://old.example/icon.png", alt_text="A leaf")]


def test_links_become_absolute_on_the_old_site_and_only_web_mail_and_phone_links_are_kept():
    body, _ = convert(
        '<p><a href="../other/">Other post</a> <a href="mailto:hi@old.example">mail</a> '
        '<a href="tel:+15551234">call</a> <a href="ftp://old.example/f">file</a></p>'
    )
    assert body.blocks == [
        (
            "paragraph",
            '<p><a href="https://old.example/other/">Other post</a> <a href="mailto:hi@old.example">mail</a> '
            '<a href="tel:+15551234">call</a> file</p>',
        )
    ]


def test_text_is_escaped_and_never_becomes_markup():
    body, _ = convert("<p>5 &lt; 6 and &lt;script&gt;alert(1)&lt;/script&gt;</p>")
    assert body.blocks == [("paragraph", "<p>5 &lt; 6 and &lt;script&gt;alert(1)&lt;/script&gt;</p>")]


def test_a_heading_too_long_for_the_heading_block_becomes_a_bold_paragraph():
    limit = STREAM_BLOCK.child_blocks["heading"].child_blocks["text"].field.max_length
    long_heading = "word " * (limit // 4)
    body, _ = convert(f"<h2>{long_heading}</h2>")
    assert body.blocks == [("paragraph", f"<p><b>{long_heading.strip()}</b></p>")]


def test_an_unknown_iframe_is_kept_as_a_link_with_a_warning():
    body, _ = convert('<iframe src="https://maps.example/embed?x=1" title="Map to the office"></iframe>')
    assert body.blocks == [
        ("paragraph", '<p><a href="https://maps.example/embed?x=1">Map to the office</a></p>')
    ]
    assert body.warnings == ["Embedded content from maps.example was kept as a link."]


def test_a_video_address_alone_on_its_line_becomes_an_embed():
    body, _ = convert(
        '<p>https://vimeo.com/76979871</p><p><a href="https://youtu.be/dQw4w9WgXcQ">watch</a></p>'
    )
    assert body.blocks[0] == ("embed", "https://vimeo.com/76979871")
    assert body.blocks[1][0] == "paragraph"  # a link with words is a link, not an embed


def test_tables_become_lines_of_text_with_a_warning():
    body, _ = convert("<table><tr><th>Day</th><th>Hours</th></tr><tr><td>Mon</td><td>9-5</td></tr></table>")
    assert body.blocks == [("paragraph", "<p>Day · Hours</p><p>Mon · 9-5</p>")]
    assert body.warnings == ["A table was turned into plain lines of text."]


def test_wordpress_text_gets_paragraphs_captions_and_embeds_and_loses_unknown_shortcodes():
    html, removed = prepare_wordpress_content(
        "First line\nsame paragraph\n\nSecond paragraph [sic].\n\n"
        '[caption id="attachment_3" width="300"]<img src="/a.jpg" alt="A path" /> The path[/caption]\n\n'
        "[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]\n\n"
        '[gallery ids="1,2"]\n\n[contact-form-7 id="5"]'
    )
    body, _ = convert(html)
    assert body.blocks == [
        ("paragraph", "<p>First line<br/>same paragraph</p><p>Second paragraph [sic].</p>"),
        ("image", ImageReference(url="https://old.example/a.jpg", alt_text="A path", caption="The path")),
        ("embed", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ]
    assert removed == ["contact-form-7", "gallery"]


def test_the_block_editors_comments_are_not_content():
    html, _ = prepare_wordpress_content("<!-- wp:paragraph -->\n<p>Kept</p>\n<!-- /wp:paragraph -->")
    body, _ = convert(html)
    assert body.blocks == [("paragraph", "<p>Kept</p>")]


def test_sanitize_describes_what_it_removed_in_words():
    assert sanitize("<script></script><script></script><img src=a width=1>").describe_removed() == (
        "2 scripts and 1 tracking pixel"
    )
