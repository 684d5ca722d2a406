"""Schemathesis against the running API as a viewer (tests/api_fuzzing.py says how)."""

from tests.api_fuzzing import catalog, fuzz, pytestmark  # noqa: F401 - the catalog fixture and the marks


def test_schemathesis_finds_no_server_error_or_undocumented_response_as_viewer(viewer, catalog, tmp_path):  # noqa: F811 - the fixture
    fuzz(viewer, "viewer", catalog, tmp_path)
