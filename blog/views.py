"""The index's listings: newest posts, a tag, a year or a month, paginated.

A page number that is not a positive whole number is a 404; one past the end shows the last page, so a link to
"page 4" keeps working after a post is removed. Neither is ever a 500.
"""

from __future__ import annotations

from calendar import month_name
from typing import TYPE_CHECKING

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse

from blog.queries import archive_months, visible_posts, visible_tag, visible_tags, with_card_data

if TYPE_CHECKING:
    from blog.models import BlogIndexPage


def paginate(posts, request: HttpRequest, per_page: int) -> PaginatorPage:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise Http404("No such page of posts")
    paginator = Paginator(posts, per_page, allow_empty_first_page=True)
    return paginator.page(min(int(raw), paginator.num_pages))


def subpage_url(index: BlogIndexPage, index_url: str, name: str, **kwargs: str) -> str:
    """`index.route_url(name, ...)` from the index's URL worked out once: a listing links to a hundred months and
    every tag, and `Page.get_url` looks the site's root paths up again on each call."""
    return index_url + index.reverse_subpage(name, kwargs=kwargs or None)


def archive_links(index: BlogIndexPage, request: HttpRequest) -> list[dict]:
    """The archive by year, newest first, each with its months: names, post counts and links."""
    index_url = index.get_url(request=request)
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
    tags = list(visible_tags(index))
    index_url = index.get_url(request=request)
    for each_tag in tags:
        each_tag.url = subpage_url(index, index_url, "tag", tag=each_tag.slug)
    tag = None
    heading = index.title
    canonical = index.get_full_url(request)
    if tag_slug is not None:
        tag = visible_tag(index, tag_slug, among=tags)  # the tags the page lists anyway: no query of its own
        if tag is None:
            raise Http404("No visible post has this tag")
        posts = posts.filter(tagged_items__tag=tag)
        heading = f"Posts tagged “{tag.name}”"
        canonical = index.get_full_url(request) + index.reverse_subpage("tag", kwargs={"tag": tag.slug})
    elif year is not None:
        posts = posts.filter(date__year=year)
        if month is not None:
            posts = posts.filter(date__month=month)
            heading = f"Posts from {month_name[month]} {year}"
            canonical = index.get_full_url(request) + index.reverse_subpage(
                "archive_month", kwargs={"year": f"{year:04d}", "month": f"{month:02d}"}
            )
        else:
            heading = f"Posts from {year}"
            canonical = index.get_full_url(request) + index.reverse_subpage(
                "archive_year", kwargs={"year": f"{year:04d}"}
            )

    page_of_posts = paginate(with_card_data(posts), request, index.posts_per_page)
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
            "tags": tags,
            "archive": archive_links(index, request),
            "canonical_url": canonical,
        },
    )
