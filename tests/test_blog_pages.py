"""The blog's public pages: the index, pagination, tag and archive filters, a post, SEO and the home block."""

import datetime
import json
import re

import pytest
from django.core.cache import cache

from home.models import HomePage
from tests.blog_factories import make_image, make_post
from tests.factories import publish

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return re.findall(r'class="post-card__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_index_lists_posts_newest_first(client, blog_index):
    make_post(blog_index, title="Older", date=datetime.date(2025, 1, 5))
    make_post(blog_index, title="Newest", date=datetime.date(2025, 3, 5))
    make_post(blog_index, title="Middle", date=datetime.date(2025, 2, 5))
    assert titles(client.get("/blog/")) == ["Newest", "Middle", "Older"]


def test_pagination_splits_posts_and_marks_the_current_page(client, blog_index):
    blog_index.posts_per_page = 2
    publish(blog_index)
    for day in range(1, 6):
        make_post(blog_index, title=f"Day {day}", date=datetime.date(2025, 1, day))
    second = client.get("/blog/?page=2")
    assert titles(second) == ["Day 3", "Day 2"]
    assert '<a href="?page=2" aria-current="page">2</a>' in second.content.decode()
    assert titles(client.get("/blog/?page=3")) == ["Day 1"]


@pytest.mark.parametrize("page", ["99", "4"])
def test_a_page_number_past_the_end_shows_the_last_page(client, blog_index, page):
    blog_index.posts_per_page = 2
    publish(blog_index)
    for day in range(1, 6):
        make_post(blog_index, title=f"Day {day}", date=datetime.date(2025, 1, day))
    response = client.get(f"/blog/?page={page}")
    assert response.status_code == 200
    assert titles(response) == ["Day 1"]


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "", "%00", "9" * 40])
def test_a_bad_page_number_is_a_404_never_a_500(client, blog_index, page):
    make_post(blog_index)
    response = client.get(f"/blog/?page={page}")
    if page == "9" * 40:
        assert response.status_code == 200  # a huge but valid number is just past the end
    else:
        assert response.status_code == 404


def test_an_empty_blog_shows_its_first_page(client, blog_index):
    response = client.get("/blog/")
    assert response.status_code == 200
    assert "There are no posts yet" in response.content.decode()


def test_tag_page_lists_only_posts_with_that_tag(client, blog_index):
    make_post(blog_index, title="About sleep", tags=["sleep"])
    make_post(blog_index, title="About grief", tags=["grief"])
    response = client.get("/blog/tag/sleep/")
    assert response.status_code == 200
    assert titles(response) == ["About sleep"]
    assert 'rel="canonical" href="http://testserver/blog/tag/sleep/"' in response.content.decode()


def test_unknown_tag_is_a_404(client, blog_index):
    make_post(blog_index, tags=["sleep"])
    assert client.get("/blog/tag/nothing-here/").status_code == 404


def test_index_lists_tags_with_links(client, blog_index):
    make_post(blog_index, tags=["sleep", "anxiety"])
    html = client.get("/blog/").content.decode()
    assert 'href="/blog/tag/sleep/"' in html and 'href="/blog/tag/anxiety/"' in html


def test_archive_by_year_and_by_month(client, blog_index):
    make_post(blog_index, title="March 2024", date=datetime.date(2024, 3, 10))
    make_post(blog_index, title="May 2024", date=datetime.date(2024, 5, 2))
    make_post(blog_index, title="May 2025", date=datetime.date(2025, 5, 2))
    assert titles(client.get("/blog/2024/")) == ["May 2024", "March 2024"]
    assert titles(client.get("/blog/2024/05/")) == ["May 2024"]
    assert client.get("/blog/2023/").status_code == 404
    assert client.get("/blog/2024/13/").status_code == 404
    assert client.get("/blog/2024/5/").status_code == 404


def test_post_page_shows_byline_reading_time_tags_and_author_bio(client, blog_index):
    post = make_post(blog_index, title="Sleep and worry", tags=["sleep"])
    html = client.get(post.url).content.decode()
    assert "<h1>Sleep and worry</h1>" in html
    assert "Maya Ellison, LCMHC" in html
    assert f"{post.reading_time} min read" in html
    assert 'href="/blog/tag/sleep/"' in html
    assert "A counselor who writes about everyday mental health." in html


def test_post_page_has_meta_description_canonical_open_graph_twitter_and_json_ld(client, blog_index):
    image = make_image()
    image.description = "A gate"
    image.save()
    post = make_post(blog_index, title="Boundaries", summary="Saying no kindly.", hero_image=image)
    html = client.get(post.url).content.decode()
    assert '<meta name="description" content="Saying no kindly.">' in html
    assert '<link rel="canonical" href="http://testserver/blog/' in html
    og_image = re.search(r'<meta property="og:image" content="([^"]+)">', html)[1]
    assert og_image.startswith("http://testserver/media/images/") and "fill-1200x630" in og_image
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta property="og:title" content="Boundaries">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1])
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "Boundaries"
    assert data["author"][0]["name"] == "Maya Ellison"
    assert data["image"] == og_image
    assert data["url"] == post.full_url


def test_json_ld_cannot_be_broken_out_of_by_a_title(client, blog_index):
    post = make_post(blog_index, title="</script><script>alert(1)</script>")
    html = client.get(post.url).content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    assert "<" not in script
    assert json.loads(script)["headline"] == "</script><script>alert(1)</script>"


def test_no_inline_script_other_than_json_ld_and_no_inline_style(client, blog_index):
    post = make_post(blog_index, tags=["sleep"])
    for url in ("/blog/", post.url, "/blog/tag/sleep/"):
        html = client.get(url).content.decode()
        inline = [tag for tag in re.findall(r"<script\b[^>]*>", html) if " src=" not in tag]
        assert all('type="application/ld+json"' in tag for tag in inline), inline
        assert " style=" not in html


def test_feeds_are_announced_in_head_for_autodiscovery(client, blog_index):
    post = make_post(blog_index, tags=["sleep"])
    for url in ("/blog/", post.url):
        html = client.get(url).content.decode()
        assert '<link rel="alternate" type="application/rss+xml"' in html
        assert 'href="/blog/feed/rss/"' in html and 'href="/blog/feed/atom/"' in html
    tag_html = client.get("/blog/tag/sleep/").content.decode()
    assert 'href="/blog/tag/sleep/feed/atom/"' in tag_html


def test_home_latest_posts_block_shows_the_newest_live_posts(client, blog_index):
    home = HomePage.objects.get()
    home.body = [("latest_posts", {"heading": "From the blog", "count": 2})]
    publish(home)
    make_post(blog_index, title="First", date=datetime.date(2025, 1, 1))
    make_post(blog_index, title="Second", date=datetime.date(2025, 2, 1))
    make_post(blog_index, title="Third", date=datetime.date(2025, 3, 1))
    cache.clear()
    response = client.get("/")
    assert titles(response) == ["Third", "Second"]


def test_sitemap_lists_posts_with_last_modification(client, blog_index):
    post = make_post(blog_index)
    xml = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{post.full_url}</loc>" in xml
    assert "<loc>http://testserver/blog/</loc>" in xml


def test_a_draft_can_be_previewed(blog_index):
    post = make_post(blog_index, live=False, title="Draft in progress")
    response = post.make_preview_request()
    assert response.status_code == 200
    assert "Draft in progress" in response.content.decode()
