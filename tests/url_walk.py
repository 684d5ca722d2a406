"""Walk every URL pattern the project serves (found by iterating the URL resolver, so routes added
later are covered without anyone listing them), pointed at the restricted objects `vault` makes."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

SECRET = "Zanzibar"  # in every text of the restricted incident and its children, and nowhere else
HIDDEN_ID = 7777
HIDDEN_REFERENCE = f"INC-{HIDDEN_ID}"
SLUG = "vault"


def url_patterns(resolver=None, prefix=""):
    """Yield (route text, URLPattern) for every pattern the project serves, however deeply included."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern, text)
        elif isinstance(pattern, URLPattern):
            yield text, pattern


def parameter_value(name):
    """What the walk puts in a URL parameter: the restricted reference or id, a slug, or a format."""
    if name == "format":
        return "json"
    if name.endswith("reference"):
        return HIDDEN_REFERENCE
    if name in ("pk", "id") or name.endswith("_id"):
        return str(HIDDEN_ID)
    return SLUG


def concrete_path(route):
    """Turn a route (`incidents/<str:reference>/`) or a router regex (`^teams/(?P<slug>[^/.]+)/$`)
    into a path, and say whether it names one of the restricted objects."""
    names = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)
    names = [a or b for a, b in names]
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: parameter_value(m.group(1)), route)
    path = re.sub(r"<(?:drf_format_suffix\w*):format>", ".json", path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: parameter_value(m.group(1)), path)
    path = path.replace("^", "").replace("$", "").replace("/?", "/").replace("\\.", ".")
    path = "/" + path.lstrip("/")
    return path, any(parameter_value(name) in (HIDDEN_REFERENCE, str(HIDDEN_ID)) for name in names)


def routes():
    """Every (path, names a restricted object) of the project, admin pages aside (see test_admin_*)."""
    found = {}
    for route, pattern in url_patterns():
        path, hidden = concrete_path(route)
        if path.startswith("/admin/"):
            continue
        try:
            match = resolve(path)
        except Resolver404:
            pytest.fail(
                f"The walk could not build a URL for {route!r} (got {path}); teach concrete_path its syntax.",
                pytrace=False,
            )
        assert match.func == pattern.callback or match.url_name == pattern.name, (route, path)
        found[path] = hidden
    return sorted(found.items())
