"""Pagination that costs the same on page one and page ten thousand, and counts that never scan a whole table.

- `count_up_to` counts the rows of a queryset but stops after COUNT_LIMIT + 1 of them: below the limit the
  number is exact; above it the answer is "more than COUNT_LIMIT", shown as "10,000+", never a guess.
- `CappedPaginator` gives the HTML lists page numbers over the first COUNT_LIMIT rows (an OFFSET that can
  never grow past COUNT_LIMIT); past that, people narrow the filters or reverse the sort.
- `KeysetPagination` gives every API list a cursor: the next page starts after the last row's sort key, so
  a deep page costs what the first one does.
"""

import base64
import binascii
import json

from django.core.exceptions import EmptyResultSet, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import F, OrderBy, Q
from django.utils.functional import cached_property
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

COUNT_LIMIT = 10_000


def count_up_to(queryset, limit=COUNT_LIMIT):
    """Return how many rows queryset has, counting at most limit + 1 (more than limit means "limit+").

    The count keeps the queryset's ordering, so the database walks the index that serves the list
    and stops after limit + 1 rows instead of scanning the table.
    """
    return queryset.values("pk")[: limit + 1].count()


def counts_up_to(querysets, limit):
    """Return {name: count_up_to(queryset, limit)} for a dict of querysets, in one query."""
    if not querysets:
        return {}
    parts, params = [], []
    for queryset in querysets.values():
        try:
            sql, part_params = queryset.values("pk")[: limit + 1].query.sql_with_params()
        except EmptyResultSet:  # a queryset that can match nothing (.none(), `IN ()`) compiles to no SQL
            parts.append("0")
            continue
        # Django compiled sql; its values travel separately in params.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")  # noqa: S608
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))


def count_text(count, limit=COUNT_LIMIT):
    """A count as people read it: "42", "9,817", or "10,000+" past the limit."""
    return f"{limit:,}+" if count > limit else f"{count:,}"


class CappedPaginator(Paginator):
    """Page numbers over at most the first COUNT_LIMIT rows; the count is exact below that, "10,000+" above."""

    limit = COUNT_LIMIT
    limit_text = f"{COUNT_LIMIT:,}"

    @cached_property
    def count(self):
        return min(count_up_to(self.object_list, self.limit), self.limit + 1)

    @property
    def count_capped(self):
        return self.count > self.limit

    @cached_property
    def num_pages(self):
        if self.count_capped:
            return self.limit // self.per_page
        return super().num_pages

    @property
    def count_text(self):
        return count_text(self.count, self.limit)


# --- Keyset (cursor) pagination for the API --------------------------------------------


def ordering_terms(queryset):
    """Return the queryset's ordering as [(expression, descending)], ending with the primary key.

    The primary key makes every row's sort key unique, so a cursor names exactly one position.
    """
    query = queryset.query
    names = list(query.order_by) or (list(queryset.model._meta.ordering) if query.default_ordering else [])
    terms = []
    for name in names:
        if isinstance(name, str):
            descending = name.startswith("-")
            terms.append((F(name.lstrip("-")), descending))
        elif isinstance(name, OrderBy):
            terms.append((name.expression, name.descending))
        else:
            terms.append((name, False))
    pk_names = {"pk", queryset.model._meta.pk.name}
    if not any(isinstance(expression, F) and expression.name in pk_names for expression, _ in terms):
        terms.append((F("pk"), terms[-1][1] if terms else False))
    return terms


def nulls_sort_last(descending):
    """Where the database puts NULL in this direction: PostgreSQL sorts NULL as the largest value, SQLite as the smallest."""
    nulls_largest = connection.vendor == "postgresql"
    return nulls_largest != descending


def rows_after(keys, values, descending_flags):
    """Q for the rows after the one whose sort key is `values`, in the order keys and descending_flags give.

    (a, b) after (x, y) means a after x, or a = x and b after y; NULL sorts where the database puts it.
    The first key also gets a plain bound (a <= x when descending) that an index can seek to.
    """
    condition = None
    for key, value, descending in reversed(list(zip(keys, values, descending_flags, strict=True))):
        nulls_last = nulls_sort_last(descending)
        if value is None:
            after = Q(pk__in=[]) if nulls_last else Q(**{f"{key}__isnull": False})
            equal = Q(**{f"{key}__isnull": True})
        else:
            after = Q(**{f"{key}__{'lt' if descending else 'gt'}": value})
            if nulls_last:
                after |= Q(**{f"{key}__isnull": True})
            equal = Q(**{key: value})
        condition = after if condition is None else after | (equal & condition)
    key, value, descending = keys[0], values[0], descending_flags[0]
    if value is not None and not nulls_sort_last(descending):
        condition &= Q(**{f"{key}__{'lte' if descending else 'gte'}": value})
    return condition


class KeysetPagination(BasePagination):
    """Cursor pagination over any ordering: `?cursor=…` from `next`/`previous`, `?page_size=M` (at most 200).

    The cursor holds the sort key of the row a page starts after, so the database seeks there through
    the index that serves the ordering. `count` is exact up to 10,000 and null beyond.
    """

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"

    def get_page_size(self, request):
        try:
            size = int(request.query_params.get(self.page_size_query_param, self.page_size))
        except ValueError:
            return self.page_size
        return min(max(size, 1), self.max_page_size) if size > 0 else self.page_size

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            return None, False
        try:
            data = json.loads(base64.urlsafe_b64decode(encoded.encode("ascii")))
            values, backwards = data["after"], bool(data.get("back"))
            if not isinstance(values, list) or len(values) != len(self.terms):
                raise ValueError
        except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error) as error:
            raise exceptions.NotFound("Invalid cursor.") from error
        return values, backwards

    def encode_cursor(self, row, *, backwards):
        values = [getattr(row, f"cursor_key_{index}") for index in range(len(self.terms))]
        data = json.dumps({"after": values, "back": int(backwards)}, cls=DjangoJSONEncoder, separators=(",", ":"))
        cursor = base64.urlsafe_b64encode(data.encode()).decode("ascii")
        return replace_query_param(self.base_url, self.cursor_query_param, cursor)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.terms = ordering_terms(queryset)
        self.page_size = self.get_page_size(request)
        if "page" in request.query_params:
            raise exceptions.ValidationError(
                {"page": ["API pages are addressed by cursor: follow `next` and `previous`."]}
            )
        values, backwards = self.decode_cursor(request)
        self.count = count_up_to(queryset)
        keys = [f"cursor_key_{index}" for index in range(len(self.terms))]
        descending = [flag != backwards for _, flag in self.terms]
        rows = queryset.annotate(**dict(zip(keys, (expression for expression, _ in self.terms), strict=True)))
        rows = rows.order_by(*(OrderBy(F(key), descending=flag) for key, flag in zip(keys, descending, strict=True)))
        if values is not None:
            try:
                rows = rows.filter(rows_after(keys, values, descending))
            except (ValueError, TypeError, ValidationError) as error:
                raise exceptions.NotFound("Invalid cursor.") from error
        page = list(rows[: self.page_size + 1])
        more = len(page) > self.page_size
        page = page[: self.page_size]
        if backwards:
            page.reverse()
            self.has_next, self.has_previous = values is not None, more
        else:
            self.has_next, self.has_previous = more, values is not None
        self.page = page
        return page

    def get_next_link(self):
        if not (self.has_next and self.page):
            return None
        return self.encode_cursor(self.page[-1], backwards=False)

    def get_previous_link(self):
        if not (self.has_previous and self.page):
            return None
        return self.encode_cursor(self.page[0], backwards=True)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count if self.count <= COUNT_LIMIT else None,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "nullable": True,
                    "description": f"How many match, exactly up to {COUNT_LIMIT:,}; null when more do.",
                    "example": 123,
                },
                "next": {"type": "string", "nullable": True, "format": "uri", "description": "The next page."},
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The previous page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: the cursor from a `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page (at most {self.max_page_size}).",
                "schema": {"type": "integer"},
            },
        ]
