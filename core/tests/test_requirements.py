"""Installs are repeatable: every requirement, direct or transitive, is pinned to one version."""

import re
from importlib.metadata import distribution

import pytest
from django.conf import settings
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

FILES = ["requirements.txt", "requirements-dev.txt"]


def requirement_lines(name):
    for line in (settings.BASE_DIR / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-r "):
            yield line


def pins():
    return {
        canonicalize_name(Requirement(line).name): Requirement(line)
        for name in FILES
        for line in requirement_lines(name)
    }


@pytest.mark.parametrize("name", FILES)
def test_it_pins_every_requirement_with_double_equals(name):
    assert [line for line in requirement_lines(name) if not re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[^=\s]+", line)] == []


def test_it_pins_what_every_pinned_package_needs():
    pinned = pins()
    missing = set()
    for requirement in pinned.values():
        for needed in distribution(requirement.name).requires or []:
            dependency = Requirement(needed)
            wanted = dependency.marker is None or any(
                dependency.marker.evaluate({"extra": extra}) for extra in ("", *requirement.extras)
            )
            if wanted and canonicalize_name(dependency.name) not in pinned:
                missing.add(f"{dependency.name} (needed by {requirement.name})")
    assert missing == set()
