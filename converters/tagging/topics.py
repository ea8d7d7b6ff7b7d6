"""Which subjects an article is about: vocabulary terms on jieba words, ranked by TF-IDF.

Term frequency is weighted by section (a headline word says more than a body word) and
damped (1 + ln tf) so a term repeated in a list does not swamp the rest; a topic scores with
the rarest of its terms that occurred.  3 to 6 topics: those within reach of the best one,
topped up with the next best and then with broader topics for short articles.
"""

from __future__ import annotations

import math

from converters.tagging.idf import IdfTable
from converters.tagging.text import BODY, KICKER, LEAD, TITLE, Section
from converters.tagging.vocabulary import Vocabulary

WEIGHTS = {TITLE: 3.0, KICKER: 2.0, LEAD: 1.5, BODY: 1.0}
MIN_TOPICS, MAX_TOPICS = 3, 6
RELATIVE_CUTOFF = 0.35  # beyond the minimum, keep topics scoring at least this share of the best


def score(sections: list[Section], vocab: Vocabulary, idf: IdfTable) -> dict[str, float]:
    tf: dict[str, float] = {}
    rarity: dict[str, float] = {}
    first: dict[str, int] = {}
    pos = 0
    for sec in sections:
        weight = WEIGHTS[sec.name]
        for w in sec.words:
            pos += 1
            topic = vocab.terms.get(w)
            if topic is None:
                continue
            tf[topic] = tf.get(topic, 0.0) + weight
            rarity[topic] = max(rarity.get(topic, 0.0), idf[w])
            first.setdefault(topic, pos)
    scores = {t: (1.0 + math.log(tf[t])) * rarity[t] for t in tf}
    # stable order for ties: earlier first mention wins
    return dict(sorted(scores.items(), key=lambda kv: (-kv[1], first[kv[0]])))


def select(scores: dict[str, float], vocab: Vocabulary) -> list[str]:
    ranked = list(scores)
    if not ranked:
        return []
    best = scores[ranked[0]]
    chosen = [t for t in ranked if scores[t] >= RELATIVE_CUTOFF * best][:MAX_TOPICS]
    for t in ranked:
        if len(chosen) >= MIN_TOPICS:
            break
        if t not in chosen:
            chosen.append(t)
    for t in list(chosen):
        if len(chosen) >= MIN_TOPICS:
            break
        broader = vocab.topics[t].broader
        if broader and broader in vocab.topics and broader not in chosen:
            chosen.append(broader)
    return chosen
