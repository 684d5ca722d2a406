"""Third-party assets are vendored, pinned and verified; nothing is loaded from another host."""

import hashlib
import json
import re

import pytest
from django.conf import settings

VENDOR = settings.BASE_DIR / "static" / "vendor"
MANIFEST = json.loads((VENDOR / "MANIFEST.json").read_text())
RECORDED = {path: digest for asset in MANIFEST["assets"] for path, digest in asset["sha256"].items()}
LISTED = [path for asset in MANIFEST["assets"] for path in asset["files"]]


@pytest.mark.parametrize("path", LISTED)
def test_it_has_every_file_the_manifest_lists(path):
    assert (VENDOR / path).is_file()


@pytest.mark.parametrize("path", RECORDED)
def test_it_has_every_vendored_file_as_the_manifest_recorded_it(path):
    assert hashlib.sha256((VENDOR / path).read_bytes()).hexdigest() == RECORDED[path]


@pytest.mark.parametrize("asset", MANIFEST["assets"], ids=lambda asset: asset["name"])
def test_it_pins_each_asset_to_the_version_it_names(asset):
    assert asset["source"].split()[0] == f"npm:{asset['name']}@{asset['version']}"


def test_it_records_a_hash_for_every_vendored_script_and_stylesheet():
    code = sorted(str(path.relative_to(VENDOR)) for path in VENDOR.rglob("*") if path.suffix in {".js", ".mjs", ".css"})
    assert [path for path in code if path not in RECORDED] == []


# A <script src>, <link href> or CSS @import/url() that points at another host.
EXTERNAL = re.compile(
    r"""<script[^>]+src\s*=\s*["']?(https?:)?//"""
    r"""|<link[^>]+href\s*=\s*["']?(https?:)?//"""
    r"""|@import\s+(url\()?["']?(https?:)?//"""
    r"""|url\(\s*["']?(https?:)?//""",
    re.IGNORECASE,
)


def own_templates_and_styles():
    roots = [settings.BASE_DIR / "templates", *settings.BASE_DIR.glob("*/templates"), settings.BASE_DIR / "static"]
    for root in roots:
        for path in root.rglob("*"):
            if path.suffix in {".html", ".css"} and VENDOR not in path.parents:
                yield path


def test_it_finds_templates_to_check():
    assert len(list(own_templates_and_styles())) >= 10


def test_the_external_reference_check_spots_one():
    assert EXTERNAL.search('<script defer src="https://cdn.example.com/x.js"></script>')
    assert EXTERNAL.search("<link rel=stylesheet href=//fonts.example.com/css>")


def test_it_loads_no_script_or_stylesheet_from_another_host():
    offenders = {
        str(path.relative_to(settings.BASE_DIR)): match.group(0)
        for path in own_templates_and_styles()
        for match in [EXTERNAL.search(path.read_text())]
        if match
    }
    assert offenders == {}
