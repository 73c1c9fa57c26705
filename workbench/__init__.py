"""workbench: translate and keep in step a d2l Markdown book, English to Chinese."""

__version__ = "0.1.0"
