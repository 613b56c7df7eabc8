"""Interface language: English and Simplified Chinese, with English as the fallback.

Each module keeps its sentences beside it, in a TOML file of the same name (runner.py,
runner.toml), as tables of entries with an ``en`` and a ``zh`` text: a translator edits
one data file and never Python. `Catalog` reads a table the first time it is used, so
importing a module costs no parsing. This module also chooses the language and fills in
the blanks, so a missing translation can never crash the tutor.
"""

from __future__ import annotations

import locale
import os
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

LANGUAGES = ("en", "zh")
_current = "en"

_FIELD = re.compile(r"\{(\w+)\}")


TRADITIONAL = ("zh_tw", "zh_hk", "zh_mo", "zh-tw", "zh-hk", "zh-mo", "zh_hant", "zh-hant")
TRADITIONAL_NOTICE = "提示：目前只有简体中文界面，繁体中文的区域设置也会显示简体中文。"


def _locale_name() -> str:
    """The locale the learner asked for: LANGUAGE (GNU's list, "zh_CN:en") first, then
    LC_ALL, LC_MESSAGES, LANG."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "").split(":")[0]
        if value:
            return value
    return ""


def traditional_locale() -> bool:
    """zh_TW, zh_HK, zh_MO: they get Simplified Chinese, and should be told so once."""
    return _locale_name().lower().startswith(TRADITIONAL)


def detect_language(explicit: str | None = None) -> str:
    """--lang wins; then the locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG); then English."""
    if explicit:
        return explicit if explicit in LANGUAGES else "en"
    value = _locale_name()
    if value:
        return "zh" if value.lower().startswith("zh") else "en"
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return "zh" if code.lower().startswith("zh") else "en"


SEPARATORS = {"en": ", ", "zh": "、"}


def join(items, lang: str | None = None) -> str:
    """A list of names in running text: "w, x" in English, "w、x" in Chinese."""
    return tr(SEPARATORS, lang).join(str(item) for item in items)


def sentence(text: str, lang: str | None = None) -> str:
    """A clause said as a whole sentence: in Chinese it ends with 。 (the calculus and graph
    layers write clauses, to be embedded in other sentences as well as said alone)."""
    done = text.endswith(("。", "？", "！", "”", "。）", "？）", "！）"))
    return text + "。" if (lang or _current) == "zh" and text and not done else text


LAST_SEPARATORS = {"en": " and ", "zh": " 和 "}


def join_and(items, lang: str | None = None) -> str:
    """The places of a sentence: "w², w³ and 1/w" in English, "w²、w³ 和 1/w" in Chinese."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    return join(items[:-1], lang) + tr(LAST_SEPARATORS, lang) + items[-1]


class Forms(dict):
    """A field value that reads differently in each language: `tr` picks the form of the
    language it writes in, so one message built for en and zh gets "w, x" and "w、x"."""

    def __str__(self) -> str:
        return tr(self)


def listing(items, math: bool = False) -> Forms:
    """Names or a point ("w = 2", "x = 3") for both languages: "w = 2, x = 3" and "w = 2、x = 3".
    With `math`, marked as math: one span in English, one per item in Chinese (the 、 is prose)."""
    items = [str(item) for item in items]
    if math:
        return Forms(en=f"${', '.join(items)}$" if items else "", zh="、".join(f"${i}$" for i in items))
    return Forms(en=", ".join(items), zh="、".join(items))


_OS_REASONS = {  # errno name -> what went wrong, said in each language (strerror is English only)
    "ENOENT": Forms(en="no such file or folder", zh="文件或文件夹不存在"),
    "EACCES": Forms(en="permission denied", zh="没有访问权限"),
    "EPERM": Forms(en="operation not permitted", zh="不允许这样操作"),
    "EISDIR": Forms(en="it is a folder", zh="这是一个文件夹"),
    "ENOTDIR": Forms(en="a part of the path is not a folder", zh="路径中有一部分不是文件夹"),
    "ENAMETOOLONG": Forms(en="file name too long", zh="文件名太长"),
    "ELOOP": Forms(en="too many symbolic links", zh="符号链接层数太多"),
    "EROFS": Forms(en="read-only file system", zh="文件系统是只读的"),
    "ENOSPC": Forms(en="no space left on the disk", zh="磁盘空间不足"),
    "EIO": Forms(en="input/output error", zh="读写出错"),
}


def os_reason(err: OSError) -> Forms:
    """Why a file could not be used, in both languages (an error number we do not know: its name)."""
    import errno

    name = errno.errorcode.get(err.errno or 0, "")
    return _OS_REASONS.get(name) or Forms(en=err.strerror or name or type(err).__name__,
                                          zh=f"系统错误 {name or type(err).__name__}")


class Catalog(Mapping):
    """One table of a module's sentences (``T = Catalog(__name__, "T")``), read from the
    module's .toml file on first use: key -> {"en": ..., "zh": ...}."""

    _files: dict[Path, dict] = {}
    _made: list["Catalog"] = []

    def __init__(self, module: str, table: str):
        self._path = Path(sys.modules[module].__file__).with_suffix(".toml")
        self._table = table
        self._entries: dict | None = None
        Catalog._made.append(self)

    @classmethod
    def load_all(cls) -> None:
        """Read every table made so far: the shell's background load calls it, so the first
        answer does not pay for parsing the sentences it says."""
        for table in list(cls._made):
            table._load()

    def _load(self) -> dict:
        if self._entries is None:
            if self._path not in Catalog._files:
                from derivtutor.text import toml

                Catalog._files[self._path] = toml.read(self._path)
            self._entries = Catalog._files[self._path][self._table]
        return self._entries

    def __getitem__(self, key: str) -> dict[str, str]:
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


def set_language(lang: str) -> None:
    global _current
    _current = lang if lang in LANGUAGES else "en"


def language() -> str:
    return _current


def tr(entry: dict[str, str] | str, lang: str | None = None, **fields: object) -> str:
    """Pick the text for the language (falling back to English) and fill {name} fields.

    Fields are filled by a plain substitution, not ``str.format``, so a lesson
    author's braces can never reach attributes of Python objects.
    """
    if isinstance(entry, str):
        text = entry
    else:
        text = entry.get(lang or _current) or entry.get("en") or next(iter(entry.values()), "")
    if not fields:
        return text
    def fill(m: re.Match) -> str:
        if m.group(1) not in fields:
            return m.group(0)
        value = fields[m.group(1)]
        return tr(value, lang) if isinstance(value, dict) else str(value)

    return _FIELD.sub(fill, text)
