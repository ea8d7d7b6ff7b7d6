"""The printed page: a page's PDF or image made into page pictures and story regions.

:mod:`.stage` runs it (``update``, once per conversion run, after the articles are
written); :mod:`.textlayer` reads a PDF's text lines with PDFium, :mod:`.regions` matches
them to the stories and merges them into rectangles, :mod:`.images` makes the pictures
with Pillow, :mod:`.stories` reads the stories back from ``content/``, :mod:`.messages`
says what happened (Chinese and English).  What it writes is described in
:mod:`epaper_contract.printed`.
"""

from converters.printed.messages import summary_line
from converters.printed.stage import update

__all__ = ["summary_line", "update"]
