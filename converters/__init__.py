"""Converters: raw page dumps -> one Markdown file per article, with Pelican metadata.

The pipeline, one module per stage, each a set of pure functions over the dataclasses
in :mod:`converters.model`::

    read -> blocks -> classify -> assemble -> reflow -> enrich -> link -> write

:mod:`converters.pipeline` strings the stages together; :mod:`converters.cli` is the
command line (``python -m converters``).
"""

#: Bumped whenever the output for the same input changes, so incremental runs redo dumps.
CONVERTER_VERSION = "7"
