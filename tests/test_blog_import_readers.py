"""Reading exports and feeds: WordPress (WXR), RSS 2.0 and Atom into one item shape; bad files refused clearly."""

from __future__ import annotations

import datetime

import pytest

from blog.importing.items import SourceError
from blog.importing.limits import ImportLimits
from blog.importing.sources import load_bytes, open_source, read_source
from tests.blog_import_helpers import FILES

LIMITS = ImportLimits.from_settings()  # the defaults: 10 MB for an export or feed


def read(name: str):
    return open_source(str(FILES / name), limits=LIMITS)


def test_a_wordpress_export_gives_posts_pages_attachments_and_drafts_with_their_details():
    parsed = read("wordpress_export.xml")
    assert parsed.format_name == "WordPress export"
    assert parsed.site_url == "http://old-blog.test"
    kinds = [(item.title, item.kind, item.status) for item in parsed.items]
    assert kinds == [
        ("Breathing through a panic attack", "post", "publish"),
        ("Sleep when your mind races", "post", "publish"),
        ("Notes on grief", "post", "draft"),
        ("About me", "page", "publish"),
        ("lake", "attachment", "trash"),
        ("Old announcement", "post", "trash"),
    ]
    panic = parsed.items[0]
    assert panic.guid == "http://old-blog.test/?p=11"
    assert panic.link == "http://old-blog.test/2021/03/breathing-through-a-panic-attack/"
    assert panic.slug == "breathing-through-a-panic-attack"
    assert panic.published == datetime.datetime(2021, 3, 16, 14, 30, tzinfo=datetime.UTC)
    assert panic.tags == ["Anxiety", "Breathing"]
    assert panic.author == "Jordan Wells"  # the display name, not the login
    assert panic.summary_html.startswith("Panic feels like an emergency")
    assert panic.featured_image is not None
    assert panic.featured_image.url.endswith("/2021/03/lake.jpg")
    assert panic.featured_image.alt_text == "A calm lake at dawn"
    assert panic.content_is_raw_wordpress


def test_wordpress_leaves_out_the_uncategorized_category_and_reads_a_drafts_local_date():
    parsed = read("wordpress_export.xml")
    sleep, grief = parsed.items[1], parsed.items[2]
    assert sleep.tags == ["Sleep"]
    assert grief.published is not None and grief.published.date() == datetime.date(2025, 10, 20)


def test_an_rss_feed_gives_full_content_from_content_encoded_and_the_summary_from_description():
    parsed = read("rss_feed.xml")
    assert parsed.format_name == "RSS feed"
    first = parsed.items[0]
    assert first.title == "Finding a therapist who fits"
    assert first.guid == "5f2b1c0e-therapist-fit"
    assert first.published == datetime.datetime(2022, 5, 12, 15, 0, tzinfo=datetime.UTC)
    assert first.tags == ["Therapy", "First steps"]
    assert first.author == "Jordan Wells"
    assert "<h2>Questions for a first call</h2>" in first.content_html
    assert first.summary_html.startswith("What to ask in a first call")
    second = parsed.items[1]
    assert second.content_html == "<p>On the hardest days, <b>small</b> counts.</p>"
    assert second.summary_html == ""
    assert parsed.items[3].title == ""


def test_an_atom_feed_gives_html_and_xhtml_content_categories_and_the_feeds_author():
    parsed = read("atom_feed.xml")
    assert parsed.format_name == "Atom feed"
    teens, winter = parsed.items
    assert teens.title == "Talking with teens about stress"
    assert teens.guid == "urn:uuid:2a6c1e52-teens-stress"
    assert teens.published == datetime.datetime(2023, 1, 15, 13, 0, tzinfo=datetime.UTC)
    assert teens.tags == ["Parenting", "stress"]
    assert teens.author == "Jordan Wells"
    assert "<blockquote>" in teens.content_html
    assert winter.link == "http://old-blog.test/posts/winter-and-low-mood"
    assert "<strong>Morning light</strong>" in winter.content_html
    assert "<h3>When to ask for help</h3>" in winter.content_html


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed.xml", "not well-formed XML"),
        ("empty_feed.xml", "has no posts in it"),
        ("entity_expansion.xml", "refused for safety"),
        ("latin1_declared_utf8.xml", "line 2 contains characters that are not"),
    ],
)
def test_a_bad_file_is_refused_with_a_message_that_says_what_is_wrong(name, message):
    with pytest.raises(SourceError, match=message):
        read(name)


def test_a_file_in_the_encoding_it_declares_is_read_correctly():
    parsed = read("latin1_declared_latin1.xml")
    assert parsed.items[0].title == "A café conversation"


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    huge = tmp_path / "huge_export.xml"
    with huge.open("wb") as handle:
        handle.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
        handle.truncate(50 * 1024 * 1024)
    read_bytes = []
    monkeypatch.setattr("pathlib.Path.read_bytes", lambda path: read_bytes.append(path) or b"")
    with pytest.raises(SourceError, match=r"The file is 50 MB; the importer reads files up to 10 MB"):
        load_bytes(str(huge), limits=LIMITS)
    assert read_bytes == []


def test_uploaded_bytes_over_the_limit_are_refused():
    with pytest.raises(SourceError, match="up to 10 MB"):
        read_source(b" " * (10 * 1024 * 1024 + 1), limits=LIMITS)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"<!DOCTYPE html><html><body>My blog</body></html>", "a web page, not a feed"),
        (b'<?xml version="1.0"?><urlset><url/></urlset>', r"not a WordPress export.*starts with <urlset>"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "does not start like one"),
        (b"<rss><channel><item>", "not well-formed XML"),
    ],
)
def test_something_that_is_not_a_feed_is_named_for_what_it_is(content, message):
    with pytest.raises(SourceError, match=message):
        read_source(content, limits=LIMITS)


def test_a_missing_file_is_reported():
    with pytest.raises(SourceError, match="There is no file at"):
        load_bytes("/nowhere/export.xml", limits=LIMITS)


def test_an_old_rss_091_feed_with_its_public_doctype_is_read():
    content = (
        b'<?xml version="1.0" encoding="ISO-8859-1"?>\n'
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
        b'<rss version="0.91"><channel><title>Old</title><link>http://old.example/</link>'
        b"<item><title>Caf\xe9 &amp; tea</title><link>http://old.example/1</link></item></channel></rss>"
    )
    assert [item.title for item in read_source(content, limits=LIMITS).items] == ["Café & tea"]
