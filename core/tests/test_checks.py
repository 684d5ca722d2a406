"""`check --deploy` catches a static file that references one `collectstatic` cannot find."""

import pytest
from django.test import override_settings

from core.checks import check_static_references


def errors_for(tmp_path, files):
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content)
    with override_settings(STATICFILES_DIRS=[tmp_path], INSTALLED_APPS=["django.contrib.staticfiles", "core"]):
        return [error.msg for error in check_static_references(None)]


def test_it_passes_the_static_files_as_they_are():
    assert check_static_references(None) == []


def test_it_names_a_source_map_that_is_not_there(tmp_path):
    errors = errors_for(tmp_path, {"lib/chart.min.js": "x()\n//# sourceMappingURL=chart.min.js.map"})
    assert errors == [
        "The static file lib/chart.min.js references lib/chart.min.js.map, which is not among the static files."
    ]


def test_it_names_a_stylesheet_url_that_is_not_there(tmp_path):
    errors = errors_for(tmp_path, {"css/site.css": "body { background: url('../img/bg.png?v=2'); }"})
    assert errors == ["The static file css/site.css references img/bg.png, which is not among the static files."]


@pytest.mark.parametrize(
    "files",
    [
        {"lib/chart.min.js": "x()\n//# sourceMappingURL=chart.min.js.map", "lib/chart.min.js.map": "{}"},
        {
            "css/site.css": "a { background: url(data:image/png;base64,AAAA) } b { background: url(https://x.test/y.png) }"
        },
    ],
    ids=["present", "not-a-static-file"],
)
def test_it_accepts_references_it_can_resolve_or_need_not(tmp_path, files):
    assert errors_for(tmp_path, files) == []
