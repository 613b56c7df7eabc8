"""The bottom toolbar: where the learner is, and the keys that matter."""

from __future__ import annotations


from derivtutor.text import i18n
from derivtutor.terminal.render import cwidth
from derivtutor.text.session import Session

WHERE = {"en": "step {n}/{total}", "zh": "第 {n}/{total} 步"}
HINTS = {"en": "hints {hints}", "zh": "提示 {hints}"}
KEYS = {
    "en": "Tab complete · Ctrl-R search · Ctrl-C cancel · Ctrl-D save & quit",
    "zh": "Tab 补全 · Ctrl-R 搜索 · Ctrl-C 取消 · Ctrl-D 保存并退出",
}
SHORT_KEYS = {"en": "Ctrl-D quit", "zh": "Ctrl-D 退出"}


def status(session: Session, lang: str | None = None) -> str:
    """"What a derivative is · step 3/18 · hints 1": the parts the session can tell."""
    parts = []
    title = session.title or ""
    if title:
        parts.append(title)
    position = session.position
    if position and position[1] > 1:  # "step 1/1" (free play between quizzes) says nothing
        parts.append(i18n.tr(WHERE, lang, n=position[0], total=position[1]))
    hints = session.hints_used
    if hints is not None:
        parts.append(i18n.tr(HINTS, lang, hints=hints))
    return " · ".join(parts)


def toolbar_text(session: Session, width: int, lang: str | None = None) -> str:
    """The longest form that fits in `width` columns: full key help, short help, or status only."""
    where = status(session, lang)
    for keys in (KEYS, SHORT_KEYS):
        line = f" {where}  │  {i18n.tr(keys, lang)} " if where else f" {i18n.tr(keys, lang)} "
        if cwidth(line) <= width:
            return line
    line = f" {where} "
    while cwidth(line) > width and len(line) > 2:
        line = line[:-2] + "…"
    return line
