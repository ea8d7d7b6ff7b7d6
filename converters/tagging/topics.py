"""Which subjects an article is about: vocabulary terms on jieba words, ranked by TF-IDF.

- tf is weighted by section (a headline word says more than a body word), doubled for a
  term quoted on its own (“腾笼换鸟”: the paper marks a named policy or concept), and damped
  (1 + ln tf) so a term repeated in a list does not swamp the rest;
- a topic's IDF is the mean IDF of its matched terms, weighted like tf, so many rare
  one-off synonyms do not beat one frequent headline term;
- a topic named in the headline or kicker gets a bonus: the paper's own statement of the
  subject;
- a matched broader topic gains a share of its matched narrower topics' scores (umbrella
  topics at the top of the tree, 经济 or 产业, gain none).

3 to 6 topics: those within reach of the best one, topped up with the next best and then
with broader topics for short articles.
"""

from __future__ import annotations

import math

from converters.tagging.idf import IdfTable
from converters.tagging.text import BODY, KICKER, LEAD, TITLE, Section, positions
from converters.tagging.vocabulary import Vocabulary

WEIGHTS = {TITLE: 3.0, KICKER: 2.0, LEAD: 1.5, BODY: 1.0}
MIN_TOPICS, MAX_TOPICS = 3, 6
HEADLINE_BONUS = 1.5
QUOTED_BOOST = 2.0  # a term quoted on its own (“腾笼换鸟”) is a named policy or concept
_OPEN, _CLOSE = frozenset("“\"「『"), frozenset("”\"」』")
FAMILY_SHARE = 0.3  # share of its narrower topics' scores a matched broader topic gains
RELATIVE_CUTOFF = 0.35  # beyond the minimum, keep topics scoring at least this share of the best


def score(sections: list[Section], vocab: Vocabulary, idf: IdfTable) -> dict[str, float]:
    tf: dict[str, float] = {}
    idf_sum: dict[str, float] = {}
    headline: set[str] = set()
    first: dict[str, int] = {}
    pos = 0
    terms = vocab.terms
    for sec in sections:
        weight = WEIGHTS[sec.name]
        words = sec.words
        base = pos
        pos += len(words)
        for i in positions(words, terms):  # the words that are vocabulary terms, in order
            w = words[i]
            topic = terms[w]
            wt = weight
            if 0 < i < len(words) - 1 and words[i - 1] in _OPEN and words[i + 1] in _CLOSE:
                wt *= QUOTED_BOOST  # “腾笼换鸟”: the paper marks a named policy or concept
            tf[topic] = tf.get(topic, 0.0) + wt
            idf_sum[topic] = idf_sum.get(topic, 0.0) + wt * idf[w]
            first.setdefault(topic, base + i + 1)
            if sec.name in (TITLE, KICKER):
                headline.add(topic)
    scores = {t: (1.0 + math.log(tf[t])) * idf_sum[t] / tf[t] * (HEADLINE_BONUS if t in headline else 1.0)
              for t in tf}
    # a matched topic whose narrower topics also occur is the article's field, not an aside:
    # 国土绿化 (one 造林绿化) with 义务植树 all over the text outranks a one-off 慈善
    support = dict.fromkeys(scores, 0.0)
    for t, sc in scores.items():
        broader = vocab.topics[t].broader if t in vocab.topics else ""
        if broader in support and vocab.topics[broader].broader:  # umbrellas (经济, 产业) get none
            support[broader] += sc
    scores = {t: sc + min(sc, FAMILY_SHARE * support[t]) for t, sc in scores.items()}  # at most doubled
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
