"""`workbench` on the command line: a thin shell over the book and the services.

Each command lives in workbench/commands/NAME.py with `register(subparsers)`; the handler it
sets returns the exit code: 0 fine, 1 problems found, 2 bad input (WorkbenchError).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import sys

from .files import printable
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
    "review",
    "export",
    "import_translations",
    "search",
    "merge_driver",
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
    _say_warnings()
    # a book is hundreds of thousands of small objects that live the whole run (units, pairs,
    # entries, the TUI's widgets); at the collector's default threshold it walks them thousands
    # of times for nothing (a fifth of a TUI session's time)
    gc.set_threshold(100_000, 50, 100)
    try:
        return int(args.run(args) or 0)
    except WorkbenchError as e:
        print(f"workbench: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        # the last resort: a file the core did not expect to fail (a read-only folder, a full disk)
        where = f"{printable(str(e.filename))}: " if e.filename else ""
        print(f"workbench: {where}{e.strerror or e}; nothing more was written", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("workbench: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


class _Stderr(logging.Handler):
    """The core's warnings (a file left out of the book) as `workbench: warning: ...` lines."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"workbench: warning: {record.getMessage()}", file=sys.stderr)


def _say_warnings() -> None:
    log = logging.getLogger("workbench")
    if not any(isinstance(h, _Stderr) for h in log.handlers):
        log.addHandler(_Stderr(logging.WARNING))
        log.propagate = False


if __name__ == "__main__":
    sys.exit(main())
