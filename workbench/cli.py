"""`workbench` on the command line: a thin shell over the book and the services.

Each command lives in workbench/commands/NAME.py with `register(subparsers)`; the handler it
sets returns the exit code: 0 fine, 1 problems found, 2 bad input (WorkbenchError).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .model import WorkbenchError

# Order is the order of `workbench --help`.
COMMANDS = [
    "tui",
    "init",
    "status",
    "render",
    "sync",
    "diff",
    "segment",
    "import_bilingual",
    "align",
    "import_tree",
    "build",
    "check",
    "glossary",
]


# Command names that are not their module's name.
_MODULE = {"import": "import_tree"}


def parser(modules: list[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser with the given command modules (default: all) registered."""
    p = argparse.ArgumentParser(
        prog="workbench",
        description="English to Chinese translation workbench for d2l Markdown books.",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules or COMMANDS:
        importlib.import_module(f"workbench.commands.{name}").register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one command; print errors as `file:line: message`, never a traceback for bad input."""
    argv = list(sys.argv[1:] if argv is None else argv)
    first = argv[0] if argv and not argv[0].startswith("-") else ""
    if not first and not {"-h", "--help"} & set(argv):
        argv = ["tui", *argv]  # no command: the translator's UI (`workbench --no-checks` too)
        first = "tui"
    # import only the named command's module: a quick command should not pay for notebooks
    module = _MODULE.get(first, first.replace("-", "_"))
    args = parser([module] if module in COMMANDS else None).parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except WorkbenchError as e:
        print(f"workbench: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("workbench: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
