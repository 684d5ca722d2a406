"""Imports flow one way: no module or template of a lower app reaches into a higher one.

The order: core ← accounts ← services ← incidents ← postmortems ← actions ← {playbooks, failure_catalog}
← insights, and demo on top. Apps of the same rank (playbooks, failure_catalog) do not import each
other. A lower app that must trigger work above it sends a signal or queues a task by name; a page
that shows a higher app's panel renders a core.panels slot.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
RANKS = {
    "core": 0,
    "accounts": 1,
    "services": 2,
    "incidents": 3,
    "postmortems": 4,
    "actions": 5,
    "playbooks": 6,
    "failure_catalog": 6,
    "insights": 7,
    "demo": 8,
}
# Templates outside an app's folder (base layout, error pages, partials) are core's.
TEMPLATE_APP = {name: name for name in RANKS}


def reaches_up(importer, imported):
    """Return True if app `importer` may not import app `imported`."""
    if importer == imported or imported not in RANKS:
        return False
    return RANKS[imported] >= RANKS[importer]


def imported_apps(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            yield node.lineno, name.split(".")[0]


def python_files():
    for app in RANKS:
        for path in sorted((BASE / app).rglob("*.py")) if (BASE / app).is_dir() else ():
            if "migrations" not in path.parts:
                yield app, path


def test_no_module_imports_a_higher_app():
    upward = [
        f"{path.relative_to(BASE)}:{line} imports {imported}"
        for app, path in python_files()
        for line, imported in imported_apps(path)
        if reaches_up(app, imported)
    ]
    assert upward == []


def tag_libraries():
    """{library name: the app that defines it}, from every app's templatetags package."""
    return {
        path.stem: app for app in RANKS for path in (BASE / app).glob("templatetags/*.py") if path.stem != "__init__"
    }


TEMPLATE_REFERENCE = re.compile(r"""{%\s*(?:include|extends)\s+["']([\w/]+)/""")
LOAD = re.compile(r"{%\s*load\s+([\w\s]+?)\s*%}")


def test_no_template_loads_tags_or_includes_templates_of_a_higher_app():
    libraries = tag_libraries()
    upward = []
    for path in sorted((BASE / "templates").rglob("*.html")):
        folder = path.relative_to(BASE / "templates").parts[0]
        app = TEMPLATE_APP.get(folder, "core")
        text = path.read_text(encoding="utf-8")
        for match in LOAD.finditer(text):
            for library in match.group(1).split():
                if reaches_up(app, libraries.get(library, "core")):
                    upward.append(f"{path.relative_to(BASE)} loads {library} ({libraries[library]})")
        for match in TEMPLATE_REFERENCE.finditer(text):
            if reaches_up(app, TEMPLATE_APP.get(match.group(1), "core")):
                upward.append(f"{path.relative_to(BASE)} includes a template of {match.group(1)}")
    assert upward == []


@pytest.mark.parametrize(
    ("importer", "imported", "refused"),
    [("incidents", "postmortems", True), ("playbooks", "failure_catalog", True), ("actions", "incidents", False)],
)
def test_it_knows_which_way_imports_may_flow(importer, imported, refused):
    assert reaches_up(importer, imported) is refused
