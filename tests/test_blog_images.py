"""The blog's images are shown at the sizes named once in blog.queries, the ones its listings prefetch."""

import pytest
from django.template import Context, Template

from blog.queries import IMAGE_FILTERS
from tests.blog_factories import make_image

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return Template("{% load blog_tags %}" + source).render(Context(context))


@pytest.mark.parametrize("size", sorted(IMAGE_FILTERS))
def test_each_named_size_renders_the_rendition_of_its_filter(size):
    image = make_image()

    html = render('{% blog_image image size alt="A calm room" class="photo" %}', image=image, size=size)

    width, height = IMAGE_FILTERS[size].removeprefix("fill-").split("x")
    rendition = image.get_rendition(IMAGE_FILTERS[size])
    assert f'src="{rendition.url}"' in html
    assert f'width="{width}"' in html and f'height="{height}"' in html
    assert 'alt="A calm room"' in html and 'class="photo"' in html


def test_no_image_renders_nothing():
    assert render('{% blog_image None "card" alt="" %}') == ""


def test_attributes_are_escaped():
    html = render('{% blog_image image "card" alt=alt %}', image=make_image(), alt='"><script>x</script>')

    assert "<script>" not in html and "&quot;&gt;&lt;script&gt;" in html
