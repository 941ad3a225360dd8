"""Variorum: compare variants of one document and merge them into one canonical text."""

__version__ = "0.1.0"
