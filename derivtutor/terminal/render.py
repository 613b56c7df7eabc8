"""Messages -> what the terminal shows: a chat turn as styled fragments, or plain text.

A tutor turn starts with a "tutor ›" label and every later line hangs under it,
so the learner's lines ("you ›") stand apart. Prose wraps to the terminal width
(counting wide Chinese characters as two columns); math spans are coloured by
the shared lexer; 2-D pretty printing is used only where it reads better.
Fragments are (style, text) pairs, the shape prompt_toolkit prints; plain text
is the same layout with the styles dropped, so both modes read alike.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Iterable

from derivtutor.text import columns, i18n, linebreak
from derivtutor.terminal import lexer
from derivtutor.text.markup import spans
from derivtutor.text.safe_text import clean
from derivtutor.text.messages import Message
from derivtutor.text.i18n import Catalog

Fragments = list[tuple[str, str]]

LABELS = Catalog(__name__, 'LABELS')
MARK = " › "

# kind -> (prefix, style of the prose). Feedback picks its row by `ok`.
KINDS: dict[str, tuple[str, str]] = {
    "say": ("", "class:say"),
    "question": ("", "class:question"),
    "math": ("", "class:math"),
    "echo": ("↳ ", "class:echo"),
    "feedback": ("", "class:feedback"),
    "feedback.right": ("✓ ", "class:right"),
    "feedback.wrong": ("✗ ", "class:wrong"),
    "hint": ("", "class:hint"),  # the runner numbers its hints ("Hint 1/2: …"); colour sets them apart
    "error": ("! ", "class:error"),
    "progress": ("", "class:progress"),
    "block": ("", "class:block"),
}

# Paragraph-like kinds get a blank line before them inside a turn; echo, feedback,
# hints and errors stay close to what they answer.
SPACED = ("say", "question", "math", "block")

# One style sheet for printed turns, the input line (same lexer classes) and the toolbar.
STYLE = {
    "label.tutor": "bold ansiblue",
    "label.you": "bold ansigreen",
    "mark": "ansibrightblack",
    "question": "bold",
    "echo": "italic ansibrightblack",
    "right": "ansigreen",
    "wrong": "ansired",
    "hint": "ansiyellow",
    "error": "ansired",
    "progress": "ansibrightblack",
    "code": "ansicyan",
    "thinking": "italic ansibrightblack",
    "pygments.literal.number": "ansicyan",
    "pygments.name.variable": "ansiyellow",
    "pygments.name.function": "ansimagenta",
    "pygments.name.constant": "ansimagenta",
    "pygments.name.builtin": "bold ansiyellow",
    "pygments.operator": "ansibrightblack",
    "pygments.keyword": "bold ansigreen",
    "bottom-toolbar": "noreverse bg:ansibrightblack fg:ansiblack",
    # Plots: J stands out, the lines through it are quieter, the marked point is loud.
    "plot.curve": "bold ansiblue",
    "plot.tangent": "ansigreen",
    "plot.secant": "ansiyellow",
    "plot.forward": "ansimagenta",
    "plot.central": "ansicyan",
    "plot.mark": "bold ansired",
    "plot.best": "bold ansired",
}

# Closing punctuation never starts a line (Chinese and Western).
cwidth = columns.width  # terminal columns of a text: the one measure (derivtutor.text.columns)


def labels(lang: str | None = None) -> tuple[str, str]:
    """The tutor and learner labels padded to one width, so turns line up."""
    tutor, you = i18n.tr(LABELS["tutor"], lang), i18n.tr(LABELS["you"], lang)
    width = max(cwidth(tutor), cwidth(you))
    return tutor + " " * (width - cwidth(tutor)), you + " " * (width - cwidth(you))


def indent_width(lang: str | None = None) -> int:
    return cwidth(labels(lang)[0]) + cwidth(MARK)


# -- wrapping -------------------------------------------------------------------------

def _words(fragments: Fragments) -> list[Fragments]:
    """Split styled text into unbreakable runs: words, single spaces, single wide characters."""
    words: list[Fragments] = []
    current: Fragments = []
    prev = ""
    for style, text in fragments:
        for ch in text:
            breakable = linebreak.can_break(prev, ch)
            if breakable and current:
                words.append(current)
                current = []
            if current and current[-1][0] == style:
                current[-1] = (style, current[-1][1] + ch)
            else:
                current.append((style, ch))
            prev = ch
    if current:
        words.append(current)
    return words


def _text(word: Fragments) -> str:
    return "".join(t for _, t in word)


def _split_long(word: Fragments, width: int) -> list[Fragments]:
    """A word wider than the line is cut at the width (URLs, long numbers)."""
    pieces: list[Fragments] = [[]]
    col = 0
    for style, text in word:
        for ch in text:
            w = cwidth(ch)
            if col + w > width and col > 0:
                pieces.append([])
                col = 0
            pieces[-1].append((style, ch))
            col += w
    return pieces


def wrap(fragments: Fragments, width: int) -> list[Fragments]:
    """Greedy word wrap to `width` columns; "\\n" in the text forces a break."""
    from itertools import takewhile

    width = max(width, 8)
    lines: list[Fragments] = [[]]
    col = 0
    words = _words(fragments)
    hang = 0  # a list item ("  1. …") wraps under its text, not under its number

    def new_line() -> int:
        lines.append([("", " " * hang)] if hang else [])
        return hang

    for i, word in enumerate(words):
        text = _text(word)
        if text == "\n":
            lines.append([])
            col = 0
            following = "".join(_text(w) for w in takewhile(lambda w: _text(w) != "\n", words[i + 1:]))
            lead, hang = linebreak.hanging(following)
            hang = hang if hang * 2 < width else 0
            if lead:
                lines[-1].append(("", " " * lead))
                col = lead
            continue
        w = cwidth(text)
        if text.isspace():
            if _text(lines[-1]).strip() and col + w <= width:  # never a space to open a line
                lines[-1].extend(word)
                col += w
            continue
        if col + w > width and col > hang:
            col = new_line()
        for piece in _split_long(word, width - hang) if w > width - hang else [word]:
            if col > hang and col + cwidth(_text(piece)) > width:
                col = new_line()
            lines[-1].extend(piece)
            col += cwidth(_text(piece))
    for line in lines:  # a line never ends in the space it broke at
        while line and not line[-1][1].strip(" "):
            line.pop()
    return [[(style, linebreak.unglue(text)) for style, text in line] for line in lines]


def merge(fragments: Fragments) -> Fragments:
    """Join neighbours of the same style (fewer, longer fragments print faster)."""
    out: Fragments = []
    for style, text in fragments:
        if out and out[-1][0] == style:
            out[-1] = (style, out[-1][1] + text)
        elif text:
            out.append((style, text))
    return out


# -- the minus sign ----------------------------------------------------------------------
# One rule (README, "Minus signs"): every minus the tutor writes in math and numbers is U+2212,
# in prose, formulas, 2-D drawings, tables and plots. ASCII '-' stays only in `code` spans
# (Python as it is typed) and in verbatim blocks (the lab console's output, which matches
# Python character for character). Hyphens inside words and ranges (10-15) are not minuses.

MINUS = "\u2212"
# A '-' right before a number, not inside a word, a name or a range: "-0.25", "(-3", "= -1/4";
# and an exponent's sign, "1e-7".
_NUMBER_MINUS = re.compile(r"(?<![\w.)\]}\-])-(?=\.?\d)|(?<=\d[eE])-(?=\d)")


def minus_signs(text: str) -> str:
    """Prose and blocks: the minus before a number becomes −; hyphens stay. Length is kept."""
    return _NUMBER_MINUS.sub(MINUS, text) if "-" in text else text


def math_minus(text: str) -> str:
    """Inside a formula every '-' is a minus."""
    return text.replace("-", MINUS)


def plain_prose(text: str) -> str:
    """Marked-up prose as one plain string (math unmarked, `code` kept), minus signs by the rule."""
    return "".join(f"`{c}`" if k == "code" else math_minus(c) if k == "math" else minus_signs(c)
                   for k, c in spans(text))


# -- pieces -----------------------------------------------------------------------------

def math_fragments(text: str, base: str = "") -> Fragments:
    """One line of math coloured by the shared lexer."""
    return [(f"{base} class:{lexer.classname(tok)}".strip(), value) for tok, value in lexer.tokens(text)]


def prose_fragments(text: str, style: str, plain: bool) -> Fragments:
    """Prose with $math$ coloured and `code` marked; plain text keeps the code backticks."""
    out: Fragments = []
    for kind, content in spans(text):
        if kind == "math":
            content = math_minus(content)
            pieces = math_fragments(content, style) if not plain else [(style, content)]
            glued = len(content) <= linebreak.MAX_GLUED  # a short formula is not split at its spaces
            out.extend((s, linebreak.glue(t)) if glued else (s, t) for s, t in pieces)
        elif kind == "code":
            out.append((f"{style} class:code".strip(), f"`{content}`" if plain else content))
        else:
            out.append((style, minus_signs(content)))
    return out


def _cas_pretty(expr: object, width: int) -> str | None:
    """2-D Unicode through the bounded cas worker; None when it is not there or fails."""
    try:
        from derivtutor.algebra import cas

        return cas.pretty(expr, width=width)
    except Exception:  # a display nicety must never break the conversation
        return None


def _pretty_lines(message: Message, width: int, pretty: Callable | None) -> list[str] | None:
    """A displayed formula in 2-D only where 2-D says more than one line can: a fraction bar.

    Powers read as well in one line (w³), so a drawing without a bar is not used. The
    formula's label ("dJ/dw = ") stands on the main bar's row, and SymPy's ASCII minus
    becomes the − that every one-line formula uses.
    """
    if message.expr is None or pretty is None:
        return None
    drawn = pretty(message.expr, width)
    if not drawn or "─" not in drawn:
        return None
    lines = [line.rstrip().replace("-", "−") for line in drawn.strip("\n").split("\n")]
    text = message.text.strip().strip("$")
    label = text[:text.rindex(" = ") + 3] if " = " in text else ""
    bar = max(range(len(lines)), key=lambda i: max((len(run) for run in lines[i].split(" ") if set(run) == {"─"}),
                                                  default=0))
    pad = " " * cwidth(label)
    lines = [(label if i == bar else pad) + line for i, line in enumerate(lines)]
    return lines if max(cwidth(line) for line in lines) <= width else None


def _kind_row(message: Message) -> tuple[str, str]:
    if message.kind == "feedback" and message.ok is not None:
        return KINDS["feedback.right" if message.ok else "feedback.wrong"]
    return KINDS.get(message.kind, KINDS["say"])


def message_lines(message: Message, width: int, *, lang: str | None = None,
                  plain: bool = False, pretty: Callable | None = None) -> list[Fragments]:
    """One message as lines of fragments, each at most `width` columns where it can be."""
    # Every message passes here, in colour and plain: lesson text and quoted input never print raw.
    message = replace(message, text=clean(message.text), block=None if message.block is None else _cleaned(message.block))
    prefix, style = _kind_row(message)
    lines: list[Fragments] = []
    if message.kind == "math":
        drawn = None if plain else _pretty_lines(message, width, pretty)
        if drawn is not None:
            lines = [[(style, line.rstrip())] for line in drawn]
        elif message.text:
            text = math_minus(message.text.strip().strip("$"))
            body = [(style, text)] if plain else math_fragments(text, style)
            lines = wrap(body, width)
    elif message.text:
        # The prose hangs under itself, not under its prefix ("✓ ", "hint: ").
        pad = cwidth(prefix)
        lines = wrap(prose_fragments(linebreak.glue_prose(message.text), style, plain), width - pad)
        if prefix:
            lines = [[(style, prefix)] + lines[0]] + [[("", " " * pad)] + line for line in lines[1:]]
    if message.block:
        block_style = "class:error" if message.kind == "error" else "class:block"
        layers = None if plain else getattr(message.block, "layers", None)  # a plot.Plot
        # The lab's output is Python's, and a caret quotes the learner's line: both as they are.
        verbatim = message.data.get("verbatim") or message.kind == "error"
        for i, line in enumerate(message.block.rstrip("\n").split("\n")):
            line = line if verbatim else minus_signs(line)
            if layers is not None and i < len(layers) and cwidth(line) <= width:
                lines.append(_layered_line(line, layers[i], block_style))
            else:
                lines += _block_line(line, block_style, width)
    return lines


def _cleaned(block: str) -> str:
    """The block without control characters; a plot with nothing to clean keeps its layers (it is a Plot)."""
    safe = clean(block)
    return block if safe == block else safe


def _layered_line(line: str, layers: tuple, base: str) -> Fragments:
    """A plot line coloured by the layer of each character (class:plot.curve, …); axes keep `base`."""
    return merge([(base if layer is None else f"class:plot.{layer}", ch) for ch, layer in zip(line, layers)])


def _block_line(line: str, style: str, width: int) -> list[Fragments]:
    """A preformatted line as is when it fits (tables stay aligned); a longer one (a step of
    a derivation) wraps under its own indentation, a little further in."""
    if cwidth(line) <= width:
        return [[(style, line)]]
    lead, hang = linebreak.hanging(line)
    if hang and hang * 2 < width:  # a row of a table (help): wrapped under its last column
        return wrap([(style, "\n" + linebreak.glue_formulas(line))], width)[1:]
    body = line.lstrip(" ")
    lead = min(len(line) - len(body), width // 2)
    # never cut a number in two; Chinese breaks between its characters, so its runs are short
    longest = max(cwidth(_text(word)) for word in _words([(style, body)]))
    pieces = wrap([(style, body)], max(width - lead - 2, longest))
    return [[("", " " * (lead if i == 0 else lead + 2))] + piece for i, piece in enumerate(pieces)]


def render(messages: Iterable[Message], *, width: int = 80, lang: str | None = None,
           plain: bool = False, pretty: Callable | None = _cas_pretty) -> Fragments:
    """A tutor turn: "tutor ›" on its first line, the rest hanging under it; ends with a newline."""
    tutor, _ = labels(lang)
    indent = indent_width(lang)
    body_width = max(width - indent, 12)
    out: Fragments = []
    first = True
    for message in messages:
        if not first and message.kind in SPACED:
            out.append(("", "\n"))
        for line in message_lines(message, body_width, lang=lang, plain=plain, pretty=pretty):
            if first:
                out += [("class:label.tutor", tutor), ("class:mark", MARK)]
                first = False
            else:
                out.append(("", " " * indent))
            out += line
            out.append(("", "\n"))
    return merge(out)


def prompt_fragments(prompt: str = "", lang: str | None = None) -> Fragments:
    """The learner's side of the chat: "you   › k ≈ "."""
    _, you = labels(lang)
    out: Fragments = [("class:label.you", you), ("class:mark", MARK)]
    if prompt:
        out.append(("class:prompt", clean(prompt, keep_layout=False).rstrip() + " "))
    return out


def learner_line(line: str, prompt: str = "", lang: str | None = None) -> Fragments:
    """A learner's line as it appears in a transcript (plain mode echoes what was read)."""
    return prompt_fragments(prompt, lang) + [("", clean(line, keep_layout=False)), ("", "\n")]


def text(fragments: Fragments) -> str:
    """Drop the styles: what plain mode prints."""
    return "".join(t for _, t in fragments)


def to_plain(messages: Iterable[Message], width: int = 80, lang: str | None = None) -> str:
    """Plain text with no escape codes and no 2-D drawings (they confuse screen readers)."""
    return text(render(messages, width=width, lang=lang, plain=True, pretty=None))
