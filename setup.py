"""Packaging: the built-in book (top-level en/, zh/, glossary/) ships inside the package.

The repository's top-level folders stay the book's source; building the package copies them
into workbench/builtin/, where workbench.builtin finds them in an installed wheel.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
BOOK = ("en", "zh", "glossary")


class BuildWithBook(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the top-level folders in place
            return
        target = Path(self.build_lib) / "workbench" / "builtin"
        shutil.rmtree(target, ignore_errors=True)
        for part in BOOK:
            shutil.copytree(HERE / part, target / part)


setup(cmdclass={"build_py": BuildWithBook})
