"""The translator's terminal UI (Textual): book, file, glossary, search and help screens.

The only package that imports textual or rich; the core (workbench/*.py) never imports it.
"""
