"""The one base of the errors a learner can cause: each says what went wrong in their language.

Every layer raises its own subclass (MathInputError, UndefinedAt, CasTimeout, CheckError, …)
with a machine-readable `code`; a session catches TutorError once and shows `localized(lang)`,
so no layer recognises another's errors by name and anything else is a real bug.
"""


class TutorError(Exception):
    code: str = "error"

    def localized(self, lang: str | None = None) -> str:
        """The sentence to show, in `lang` ("en" or "zh"); subclasses pick it from their tables."""
        return str(self)
