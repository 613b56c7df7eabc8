"""The `derivtutor` command line: argparse in front, every command imported lazily.

Nothing heavy is imported here (no SymPy, no prompt_toolkit): `derivtutor start`
shows its first prompt while SymPy loads in the background.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from derivtutor import __version__
from derivtutor.commands import cli_zh
from derivtutor.text import i18n
from derivtutor.terminal import startup_gc


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    example: str
    module: str  # where the command lives: "module:run_function"
    arguments: str | None = None  # "module:add_arguments_function", or None for the common ones


def _start_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("lesson", nargs="?", help="lesson id, number or a word of its title")
    p.add_argument("--restart", action="store_true", help="begin the lesson again")


def _lint_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", help="lesson files or folders (default: the shipped lessons)")


def _review_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("lesson", nargs="?", help="review only this lesson")
    p.add_argument("--all", action="store_true",
                   help="redo every question (of the lesson, or every one you answered), due or not, missed ones first")


def _commands() -> tuple[Command, ...]:
    """The command table, commands.toml: data, so adding a command is one entry there."""
    from derivtutor.text import toml

    table = toml.read(Path(__file__).with_name("commands.toml"))
    return tuple(Command(row["name"], row["help"], row["example"], row["run"], row.get("arguments"))
                 for row in table["command"])


COMMANDS = _commands()


# The one sentence kept in code: it is said when something broke, so it must not depend on
# reading a file.
MESSAGES = {
    "crash": {"en": "derivtutor {name}: something went wrong inside the tutor ({kind}); it was not caused by what you "
                    "typed. The details are in {path}.",
              "zh": "derivtutor {name}：程序内部出了问题（{kind}），不是你输入的内容造成的。详细信息在 {path}。"},
}


def _resolve(spec: str) -> Callable:
    """The function a "module:attribute" spec names (tests/test_cli_args.py resolves every one)."""
    module_name, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def _common_options(top: bool) -> argparse.ArgumentParser:
    """The options every command takes, before or after its name.

    The subcommand's copy has no defaults (SUPPRESS), so `derivtutor --lang zh list`
    keeps the language given before the command.
    """
    common = argparse.ArgumentParser(add_help=False)
    default = (lambda value: value) if top else (lambda value: argparse.SUPPRESS)
    common.add_argument("--lang", choices=("en", "zh"), default=default(None),
                        help="interface and lesson language (default: from the locale)")
    common.add_argument("--no-color", action="store_true", default=default(False), help="no colour (NO_COLOR is respected too)")
    common.add_argument("--plain", action="store_true", default=default(False),
                        help="plain text, one line in, text out (automatic in a pipe)")
    common.add_argument("--vi", action="store_true", default=default(False), help="vi key bindings")
    common.add_argument("--lessons", action="append", default=default([]), metavar="DIR",
                        help="another folder of lessons (also DERIVTUTOR_LESSONS)")
    return common


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The parser; only the chosen command's own arguments are loaded (they may import SymPy)."""
    parser = argparse.ArgumentParser(
        prog="derivtutor", formatter_class=cli_zh.Formatter,
        description="A chat-style terminal tutor for the derivatives behind machine learning.",
        epilog="Start here:  derivtutor start lesson1",
        parents=[_common_options(top=True)],
    )
    parser.add_argument("--version", action="version", version=f"derivtutor {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    shared = _common_options(top=False)  # one parent for all: argparse copies its actions
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help, parents=[shared],
                           description=f"{command.help[0].upper()}{command.help[1:]}.",
                           epilog=f"example:  {command.example}",
                           formatter_class=cli_zh.Formatter)
        p.set_defaults(command_spec=command)
        if command.arguments and command.name == chosen:
            _resolve(command.arguments)(p)
    return parser


def _negative_math(parser: argparse.ArgumentParser, chosen: str | None, argv: list[str]) -> list[str]:
    """`check "1/w^2" "-1/32"`, `explain "-w^2"`: a word that starts with a minus and is not one of
    the command's options is math, not an option. argparse takes any such word for an option
    (it only lets plain negative numbers through), so it gets a leading space, which argparse
    reads as a positional and our parser ignores."""
    if chosen is None:
        return argv
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[chosen]
    options = {o for action in sub._actions for o in action.option_strings}
    out, after_option = [], False
    for word in argv:
        flag = word.split("=", 1)[0]
        math = word.startswith("-") and not word.startswith("--") and flag not in options and not after_option
        out.append(" " + word if math else word)
        action = next((a for a in sub._actions if flag in a.option_strings), None)
        after_option = action is not None and "=" not in word and action.nargs != 0
    return out


def main(argv: list[str] | None = None) -> int:
    startup_gc.pause()  # the shell resumes it once the prompt is live; `finally` for every other path
    try:
        return _main(sys.argv[1:] if argv is None else argv)
    finally:
        startup_gc.resume()


def _main(argv: list[str]) -> int:
    names = {c.name for c in COMMANDS}
    if not cli_zh.language_in(argv) and i18n.traditional_locale():  # said before --help exits, too
        print(i18n.TRADITIONAL_NOTICE, file=sys.stderr)
    with cli_zh.speaking(i18n.detect_language(cli_zh.language_in(argv))):
        chosen = next((a for a in argv if a in names), None)
        parser = build_parser(chosen)
        ns = parser.parse_args(_negative_math(parser, chosen, argv))
        command: Command | None = getattr(ns, "command_spec", None)
        if command is None:
            parser.print_help()
            return 0
    i18n.set_language(i18n.detect_language(ns.lang))
    ns.lang = i18n.language()
    try:
        if command.name != "lint":  # lint names each path it cannot read itself
            from derivtutor.teaching.lessons import folder_notices  # no SymPy

            for notice in folder_notices(getattr(ns, "lessons", None) or [], ns.lang):
                print(notice, file=sys.stderr)
        return int(_resolve(command.module)(ns) or 0)
    except KeyboardInterrupt:
        print()
        return 130
    except BrokenPipeError:
        # The output was closed early (`derivtutor list | head`): nothing is wrong and nothing
        # is lost; send what is still buffered nowhere so Python does not complain at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as err:  # noqa: BLE001 - the last line of defence: no traceback reaches a learner
        path = _log_crash(err, command.name)
        print(i18n.tr(MESSAGES["crash"], name=command.name, kind=type(err).__name__, path=path), file=sys.stderr)
        return 70


def _log_crash(err: BaseException, where: str) -> str:
    """Write the traceback where the shell keeps its log; if even that fails, to the temp dir."""
    try:
        from derivtutor.terminal.conversation import crash_log

        return str(crash_log(err, where))
    except Exception:  # noqa: BLE001 - the shell itself may be what broke
        import tempfile
        import traceback
        from pathlib import Path

        path = Path(tempfile.gettempdir()) / "derivtutor.log"
        try:
            with path.open("a", encoding="utf-8") as f:
                f.write("".join(traceback.format_exception(type(err), err, err.__traceback__)))
        except OSError:
            return "(no writable log file)"
        return str(path)
