"""Every module's sentences live in the TOML file beside it (i18n.Catalog); these tests keep
those files whole: each table a module names is there, each entry speaks both languages,
and no sentence file lies unread beside a module."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

import derivtutor
from derivtutor.text.i18n import Catalog

NOT_CATALOGS = {"commands.toml", "glossary.toml"}  # the command table and the glossary: data of their own


def _modules():
    for info in pkgutil.walk_packages(derivtutor.__path__, "derivtutor."):
        if not info.ispkg and ".course" not in info.name and not info.name.endswith("__main__"):
            yield importlib.import_module(info.name)


CATALOGS = [(m.__name__, name, value) for m in _modules() for name, value in vars(m).items()
            if isinstance(value, Catalog)]


def test_the_modules_use_catalogs():
    assert len(CATALOGS) > 25


@pytest.mark.parametrize("module, name, table", CATALOGS, ids=[f"{m}.{n}" for m, n, _ in CATALOGS])
def test_every_entry_speaks_english_and_chinese(module, name, table):
    assert len(table) > 0, f"{module}: table {name} is empty"
    for key, entry in table.items():
        assert set(entry) <= {"en", "zh"}, f"{module} {name}.{key}: {sorted(entry)}"
        assert isinstance(entry.get("en"), str) and entry["en"], f"{module} {name}.{key} has no English"
        assert isinstance(entry.get("zh"), str), f"{module} {name}.{key} has no Chinese"


def test_no_sentence_file_lies_unread():
    read = {Path(importlib.import_module(m).__file__).with_suffix(".toml") for m, _, _ in CATALOGS}
    root = Path(derivtutor.__file__).parent
    beside = {p for p in root.rglob("*.toml") if p.parent.name != "course" and p.name not in NOT_CATALOGS}
    assert beside - read == set()


def test_a_missing_table_is_said_by_name():
    with pytest.raises(KeyError, match="NO_SUCH_TABLE"):
        len(Catalog("derivtutor.teaching.runner", "NO_SUCH_TABLE"))
