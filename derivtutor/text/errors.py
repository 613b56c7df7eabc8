"""The one base of the errors a learner can cause: each says what went wrong in their language.

Every layer raises its own subclass (MathInputError, UndefinedAt, CasTimeout, CheckError, …)
with a machine-readable `code`, the `fields` its sentence fills in, and a `table` of
sentences by code (a Catalog of the module's TOML file). A session catches TutorError once
and shows `localized(lang)`, so no layer recognises another's errors by name and anything
else is a real bug.
"""

from __future__ import annotations

from collections.abc import Mapping

from derivtutor.text.i18n import tr


class TutorError(Exception):
    code: str = "error"
    table: Mapping[str, Mapping[str, str]] = {}  # code -> {"en": ..., "zh": ...}

    def __init__(self, code: str | None = None, **fields: object):
        if code is not None:
            self.code = code
        self.fields = fields
        self.message = self.localized("en")
        super().__init__(self.message)

    def localized(self, lang: str | None = None) -> str:
        """The sentence to show, in `lang` ("en" or "zh"), from the subclass's table."""
        entry = self.table.get(self.code)
        return tr(entry, lang, **self.fields) if entry is not None else self.code
