"""Cities and topics for an article: ``Tagger.load().tag(title=..., lead=..., paragraphs=...)``.

Cities come from the gazetteer in ``converters/data/gazetteer.tsv`` and topics from the
editable vocabulary in ``converters/data/topics.tsv``; both are matched on jieba words with
rules against false places (西湖大学, 市委书记温暖) and newsroom words.
"""

from converters.tagging.tagger import Tagger, TagResult

__all__ = ["TagResult", "Tagger"]
