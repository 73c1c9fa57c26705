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


def parser() -> argparse.ArgumentParser:
    """The argument parser with every command registered."""
    p = argparse.ArgumentParser(
        prog="workbench",
        description="English to Chinese translation workbench for d2l Markdown books.",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"workbench.commands.{name}").register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one command; print errors as `file:line: message`, never a traceback for bad input."""
    args = parser().parse_args(argv)
    if not getattr(args, "run", None):
        if "tui" in COMMANDS:
            args = parser().parse_args(["tui", *(argv or [])])
        else:
            parser().print_help()
            return 0
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
