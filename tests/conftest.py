"""Fixtures shared by the test files."""

import pytest

from derivtutor.text import i18n


@pytest.fixture
def chinese():
    """The session's language is Chinese for this test, and what it was afterwards."""
    before = i18n.language()
    i18n.set_language("zh")
    yield
    i18n.set_language(before)
