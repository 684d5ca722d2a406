"""Counts that stop at a limit, page numbers that stop with them."""

import pytest
from django.contrib.auth import get_user_model

from core.pagination import CappedPaginator, count_text, count_up_to, counts_up_to


@pytest.fixture
def people(db):
    users = get_user_model().objects
    for n in range(7):
        users.create_user(f"person-{n}")
    return users.order_by("username")


def test_it_counts_exactly_up_to_the_limit(people):
    assert (count_up_to(people, 7), count_up_to(people, 6)) == (7, 7)


def test_it_counts_several_querysets_in_one_query(people, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = counts_up_to({"all": people, "some": people.filter(username__lt="person-3"), "none": people.none()}, 5)
    assert counts == {"all": 6, "some": 3, "none": 0}


@pytest.mark.parametrize(("count", "text"), [(0, "0"), (9817, "9,817"), (10_000, "10,000"), (10_001, "10,000+")])
def test_it_shows_a_count_past_the_limit_as_at_least(count, text):
    assert count_text(count) == text


def test_it_stops_the_page_numbers_where_the_count_stops(people):
    paginator = CappedPaginator(people, per_page=2)
    paginator.limit = 5
    assert (paginator.count_text, paginator.num_pages, paginator.count_capped) == ("5+", 2, True)


def test_it_pages_everything_below_the_limit(people):
    paginator = CappedPaginator(people, per_page=2)
    assert (paginator.count_text, paginator.num_pages, paginator.count_capped) == ("7", 4, False)
