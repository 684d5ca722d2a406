"""Request body parsers for the API."""

import io

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import APIException, ParseError

# No Hindsight document nests deeper than a few levels; Alertmanager's payload is four deep.
MAX_JSON_DEPTH = 32


class RequestTooLarge(APIException):
    status_code = 413
    default_detail = "The request body is too large."
    default_code = "request_too_large"


def json_depth(value):
    """Return how deeply value's lists and objects nest (0 for a scalar), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def read_bounded(stream):
    """Read a request body, refusing (413) one larger than DATA_UPLOAD_MAX_MEMORY_SIZE.

    DRF reads bodies past Django's own check of that setting, so every parser reads through this.
    """
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if stream is None:
        return b""
    body = stream.read() if limit is None else stream.read(limit + 1)
    if limit is not None and len(body) > limit:
        raise RequestTooLarge()
    return body


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing what is too large (413) or nests too deeply (400) to handle safely.

    Python's json module raises RecursionError (a 500) past about a thousand levels, and data
    nested a few hundred deep would fail later in validation or storage.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(io.BytesIO(read_bounded(stream)), media_type, parser_context)
        except RecursionError:
            data = None
        else:
            if json_depth(data) <= MAX_JSON_DEPTH:
                return data
        raise ParseError(f"JSON parse error - the body nests more than {MAX_JSON_DEPTH} levels deep.")
