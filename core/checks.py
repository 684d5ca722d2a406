"""Deployment checks: what `manage.py check --deploy` must catch before `collectstatic` or a request does."""

import fnmatch
import posixpath
import re
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import HashedFilesMixin
from django.core.checks import Error, Tags, register

# The references the production storage (WhiteNoise's CompressedManifestStaticFilesStorage) rewrites
# to hashed names: url() and @import in stylesheets, source maps in scripts and stylesheets. A target
# it cannot find stops `collectstatic` with MissingFileError, and without collected files every page fails.
REFERENCE_PATTERNS = [
    (extension, re.compile(pattern[0] if isinstance(pattern, tuple) else pattern, re.IGNORECASE))
    for extension, patterns in HashedFilesMixin.patterns
    for pattern in patterns
]


def referenced_static_name(source_name, url):
    """Return the static file name a reference in source_name points at, or None if it names no static file."""
    if re.match(r"^[a-z]+:", url) or url.startswith("//"):
        return None
    if url.startswith("/") and not url.startswith(settings.STATIC_URL):
        return None
    path = urlsplit(url).path  # the storage hashes the file, whatever the query or fragment
    if not path:
        return None
    if path.startswith("/"):
        return unquote(path.removeprefix(settings.STATIC_URL))
    return unquote(posixpath.normpath(posixpath.join(posixpath.dirname(source_name), path)))


def static_files():
    """Yield (name, absolute path) of every file the static finders would collect."""
    seen = set()
    for finder in finders.get_finders():
        for name, storage in finder.list([]):
            name = name.replace("\\", "/")
            if name not in seen:
                seen.add(name)
                yield name, storage.path(name)


def missing_static_references():
    """Return (file, referenced name) for every reference the production storage would fail to resolve."""
    missing = []
    for name, path in static_files():
        patterns = [pattern for extension, pattern in REFERENCE_PATTERNS if fnmatch.fnmatch(name, extension)]
        if not patterns:
            continue
        with open(path, encoding="utf-8", errors="replace") as file:
            content = file.read()
        for pattern in patterns:
            for match in pattern.finditer(content):
                target = referenced_static_name(name, match.group("url").strip())
                if target is not None and finders.find(target) is None:
                    missing.append((name, target))
    return missing


@register(Tags.staticfiles, deploy=True)
def check_static_references(app_configs, **kwargs):
    """Every file a static file references is there to collect (`check --deploy` only: it reads every asset)."""
    return [
        Error(
            f"The static file {name} references {target}, which is not among the static files.",
            hint="Vendor the referenced file, or strip the reference (scripts/vendor.py strips source maps).",
            id="core.E001",
        )
        for name, target in missing_static_references()
    ]
