"""Which subjects an article is about: vocabulary terms on jieba words, ranked by TF-IDF.

Term frequency is weighted by section (a headline word says more than a body word) and
damped (1 + ln tf) so a term repeated in a list does not swamp the rest; a topic's IDF is
the mean IDF of its matched terms, weighted like tf (so many rare one-off synonyms do not
beat one frequent headline term); a topic named in the headline or kicker gets a bonus, the
headline being the paper's own statement of the subject.  3 to 6 topics: those within reach
of the best one, topped up with the next best and then with broader topics for short articles.
"""

from __future__ import annotations

import math

from converters.tagging.idf import IdfTable
from converters.tagging.text import BODY, KICKER, LEAD, TITLE, Section
from converters.tagging.vocabulary import Vocabulary

WEIGHTS = {TITLE: 3.0, KICKER: 2.0, LEAD: 1.5, BODY: 1.0}
MIN_TOPICS, MAX_TOPICS = 3, 6
HEADLINE_BONUS = 1.5
RELATIVE_CUTOFF = 0.35  # beyond the minimum, keep topics scoring at least this share of the best


def score(sections: list[Section], vocab: Vocabulary, idf: IdfTable) -> dict[str, float]:
    tf: dict[str, float] = {}
    idf_sum: dict[str, float] = {}
    headline: set[str] = set()
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
            idf_sum[topic] = idf_sum.get(topic, 0.0) + weight * idf[w]
            first.setdefault(topic, pos)
            if sec.name in (TITLE, KICKER):
                headline.add(topic)
    scores = {t: (1.0 + math.log(tf[t])) * idf_sum[t] / tf[t] * (HEADLINE_BONUS if t in headline else 1.0)
              for t in tf}
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
    i = 0
    while len(chosen) < MIN_TOPICS and i < len(chosen):  # walks up: 家庭医生 -> 基层医疗 -> 医疗卫生
        broader = vocab.topics[chosen[i]].broader
        if broader and broader in vocab.topics and broader not in chosen:
            chosen.append(broader)
        i += 1
    return chosen
