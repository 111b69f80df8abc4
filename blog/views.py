"""The index's listings: newest posts, a tag, a year or a month, paginated.

A page number that is not a positive whole number is a 404; one past the end shows the last page, so a link to
"page 4" keeps working after a post is removed. Neither is ever a 500.

The tags and the archive every listing shows, with their post counts and links (`listing_links`), are built once
per generation of the pages, and those counts are how many posts a listing pages through: the paginator never
counts them again.
"""

from __future__ import annotations

from calendar import month_name
from dataclasses import asdict
from typing import TYPE_CHECKING

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse

from blog.queries import archive_months, tag_counts, visible_posts, visible_tag, with_card_data
from home.frame_cache import remember_until_publish

if TYPE_CHECKING:
    from blog.models import BlogIndexPage


class CountedPaginator(Paginator):
    """A paginator told how many posts there are (its `count` would otherwise ask the database)."""

    def __init__(self, object_list, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page, allow_empty_first_page=True)
        self.count = count


def paginate(posts, request: HttpRequest, per_page: int, count: int) -> PaginatorPage:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise Http404("No such page of posts")
    paginator = CountedPaginator(posts, per_page, count)
    return paginator.page(min(int(raw), paginator.num_pages))


def page_links(page_of_posts: PaginatorPage) -> list[int | str]:
    """The page numbers to link to: the first, the last and two either side of the current one, with an ellipsis
    for each gap (a blog of a thousand posts would otherwise list a hundred links)."""
    paginator = page_of_posts.paginator
    return list(paginator.get_elided_page_range(page_of_posts.number, on_each_side=2, on_ends=1))


def subpage_url(index: BlogIndexPage, index_url: str, name: str, **kwargs: str) -> str:
    """`index.route_url(name, ...)` from the index's URL worked out once: a listing links to a hundred months and
    every tag, and `Page.get_url` looks the site's root paths up again on each call."""
    return index_url + index.reverse_subpage(name, kwargs=kwargs or None)


def listing_links(index: BlogIndexPage, request: HttpRequest) -> dict[str, list[dict]]:
    """The index's tags and archive with their links, kept until the next publish (for the request's host, as the
    frame is: the links start with the index's URL on that host)."""

    def build() -> dict[str, list[dict]]:
        index_url = index.get_url(request=request)
        tags = [
            {**asdict(each), "url": subpage_url(index, index_url, "tag", tag=each.slug)}
            for each in tag_counts(index)
        ]
        return {"tags": tags, "archive": archive_links(index, index_url)}

    return remember_until_publish(f"blog-links:{index.pk}", build)


def archive_links(index: BlogIndexPage, index_url: str) -> list[dict]:
    """The archive by year, newest first, each with its months: names, post counts and links."""
    years: dict[int, dict] = {}
    for month, count in archive_months(index):
        year = years.setdefault(
            month.year,
            {
                "year": month.year,
                "url": subpage_url(index, index_url, "archive_year", year=f"{month.year:04d}"),
                "count": 0,
                "months": [],
            },
        )
        year["count"] += count
        year["months"].append(
            {
                "name": month_name[month.month],
                "number": month.month,
                "url": subpage_url(
                    index, index_url, "archive_month", year=f"{month.year:04d}", month=f"{month.month:02d}"
                ),
                "count": count,
            }
        )
    return list(years.values())


def render_listing(
    index: BlogIndexPage,
    request: HttpRequest,
    *,
    tag_slug: str | None = None,
    year: int | None = None,
    month: int | None = None,
) -> HttpResponse:
    posts = visible_posts(index)
    links = listing_links(index, request)
    archive = links["archive"]
    tag = None
    count = sum(year["count"] for year in archive)
    heading = index.title
    canonical = index.get_full_url(request)
    if tag_slug is not None:
        tag = visible_tag(index, tag_slug)
        if tag is None:
            raise Http404("No visible post has this tag")
        posts = posts.filter(tagged_items__tag_id=tag.pk)
        count = tag.post_count
        heading = f"Posts tagged “{tag.name}”"
        canonical = index.get_full_url(request) + index.reverse_subpage("tag", kwargs={"tag": tag.slug})
    elif year is not None:
        posts = posts.filter(date__year=year)
        this_year = next((each for each in archive if each["year"] == year), {"count": 0, "months": []})
        count = this_year["count"]
        if month is not None:
            posts = posts.filter(date__month=month)
            count = next((each["count"] for each in this_year["months"] if each["number"] == month), 0)
            heading = f"Posts from {month_name[month]} {year}"
            canonical = index.get_full_url(request) + index.reverse_subpage(
                "archive_month", kwargs={"year": f"{year:04d}", "month": f"{month:02d}"}
            )
        else:
            heading = f"Posts from {year}"
            canonical = index.get_full_url(request) + index.reverse_subpage(
                "archive_year", kwargs={"year": f"{year:04d}"}
            )

    page_of_posts = paginate(with_card_data(posts), request, index.posts_per_page, count)
    if year is not None and not page_of_posts.object_list:
        raise Http404("No posts in this period")
    if page_of_posts.number > 1:
        canonical += f"?page={page_of_posts.number}"
    return index.render(
        request,
        context_overrides={
            "posts": page_of_posts,
            "listing_heading": heading,
            "is_filtered": tag is not None or year is not None,
            "current_tag": tag,
            "tags": links["tags"],
            "archive": archive,
            "page_links": page_links(page_of_posts),
            "canonical_url": canonical,
        },
    )
