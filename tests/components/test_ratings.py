"""The rating components: stars for a score and a profile's rating summary."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from mylabel.components.templatetags.ratings import bar_width
from mylabel.reviews.cache import CriterionAverage, RatingSummary, StarShare


def render(source: str, **context: object) -> str:
    return Template("{% load ratings %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "shown", "filled"),
    [
        (Decimal("4.50"), "4.5", 5),
        (Decimal("4.00"), "4.0", 4),
        (Decimal("2.44"), "2.4", 2),
        (3, "3", 3),
    ],
)
def test_stars_show_the_value_as_text_and_fill_as_many_stars_as_it_rounds_to(
    value: Decimal | int, shown: str, filled: int
):
    html = render("{% rating_stars value %}", value=value)

    assert f'{shown}<span class="visually-hidden"> out of 5 stars</span>' in html
    glyphs = html.split('aria-hidden="true">', 1)[1].split("<span", 1)[0]
    assert glyphs == "★" * filled


def test_stars_without_a_value_say_there_are_no_reviews():
    assert "No reviews yet" in render("{% rating_stars None %}")


def test_stars_with_a_count():
    assert "(1 review)" in render("{% rating_stars 5 count=1 %}")
    assert "(12 reviews)" in render("{% rating_stars 5 count=12 %}")


@pytest.mark.parametrize(
    ("percent", "width"), [(0, 0), (1, 5), (2, 5), (8, 10), (33, 35), (67, 65), (100, 100)]
)
def test_bars_come_in_steps_of_five_and_a_share_never_looks_empty(percent: int, width: int):
    assert bar_width(percent) == width


def test_summary_lists_each_star_count_and_the_rated_criteria_only():
    summary = RatingSummary(
        count=3,
        average=Decimal("4.33"),
        criteria=[
            CriterionAverage(
                slug="quality", name="Quality of work", average=Decimal("4.5"), count=2
            ),
            CriterionAverage(slug="value", name="Value for money", average=None, count=0),
        ],
        distribution=[
            StarShare(stars=5, count=2, percent=67),
            StarShare(stars=4, count=0, percent=0),
            StarShare(stars=3, count=1, percent=33),
            StarShare(stars=2, count=0, percent=0),
            StarShare(stars=1, count=0, percent=0),
        ],
    )

    html = render("{% rating_summary summary reviews_url='/r/' %}", summary=summary)

    assert "4.3" in html
    assert '<a href="/r/">3 reviews</a>' in html
    assert "67% (2 reviews)" in html
    assert "rating-bar__fill--w65" in html
    assert "33% (1 review)" in html
    assert "Quality of work" in html
    assert "Value for money" not in html
    assert " style=" not in html
