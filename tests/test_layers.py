"""The layering declared in pyproject.toml holds: `lint-imports` (import-linter) keeps every
contract, lazy imports inside functions included, and every subpackage is in a contract."""

import shutil
import subprocess
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

import derivtutor

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def test_every_import_contract_is_kept():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert lint, "import-linter is a test extra: pip install '.[test]'"
    done = subprocess.run([lint, "--config", str(ROOT / "pyproject.toml")], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(CONFIG['contracts'])} kept, 0 broken" in done.stdout


def test_every_subpackage_is_in_a_contract():
    named = {part.strip() for c in CONFIG["contracts"] for entry in c.get("layers", []) + c.get("modules", [])
             for part in entry.split("|")}
    folders = {f"derivtutor.{p.name}" for p in Path(derivtutor.__file__).parent.iterdir()
               if (p / "__init__.py").exists() and p.name != "course"}  # course: the lesson files, data
    assert folders and folders <= named, sorted(folders - named)


def test_no_module_is_left_outside_the_layers():
    loose = {p.stem for p in Path(derivtutor.__file__).parent.glob("*.py")} - {"__init__", "__main__"}
    assert not loose, sorted(loose)


def test_every_package_is_installed():
    """A non-editable install (the README's `pip install .`) ships only the packages pyproject
    lists: a folder left out is an ImportError on a learner's machine, never in a checkout."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    here = Path(derivtutor.__file__).parent
    folders = {".".join(("derivtutor", *p.parent.relative_to(here).parts)).rstrip(".")
               for p in here.rglob("__init__.py")}
    assert folders - listed == set(), sorted(folders - listed)
