"""The bottom toolbar: where the learner is, and the keys that matter."""

from __future__ import annotations


from derivtutor.text import i18n
from derivtutor.text.i18n import Catalog
from derivtutor.terminal.render import cwidth
from derivtutor.text.session import Session

TEXT = Catalog(__name__, 'TEXT')


def status(session: Session, lang: str | None = None) -> str:
    """"What a derivative is · step 3/18 · hints 1": the parts the session can tell."""
    parts = []
    title = session.title or ""
    if title:
        parts.append(title)
    position = session.position
    if position and position[1] > 1:  # "step 1/1" (free play between quizzes) says nothing
        parts.append(i18n.tr(TEXT["where"], lang, n=position[0], total=position[1]))
    hints = session.hints_used
    if hints is not None:
        parts.append(i18n.tr(TEXT["hints"], lang, hints=hints))
    return " · ".join(parts)


def toolbar_text(session: Session, width: int, lang: str | None = None) -> str:
    """The longest form that fits in `width` columns: full key help, short help, or status only."""
    where = status(session, lang)
    for keys in (TEXT["keys"], TEXT["short_keys"]):
        line = f" {where}  │  {i18n.tr(keys, lang)} " if where else f" {i18n.tr(keys, lang)} "
        if cwidth(line) <= width:
            return line
    line = f" {where} "
    while cwidth(line) > width and len(line) > 2:
        line = line[:-2] + "…"
    return line
