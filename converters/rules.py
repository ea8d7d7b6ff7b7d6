"""One rule type, one registry: how a block's role is decided, whatever the input.

A role (title, byline, caption, jump line, …) is decided by the first rule, in priority
order, whose ``test`` passes on the block; its ``run`` records the decision on the block
(its :class:`~converters.model.Kind` and the typed facts it parsed).  The rules are
:class:`Rule` objects held in a :class:`Rules` registry, which *is* Python-Markdown's
``markdown.util.Registry`` (a pinned dependency that does exactly this: named items kept
sorted by priority, replaced or removed by name), so a paper's quirk is one ``add`` with a
priority between two existing rules, and a rule is reached by its name.

The rule type is generic in what the rules see, its *context*, and there are two registry
instances, because there are two kinds of evidence:

* :data:`converters.classify.CONTENT_RULES` see a block's own text and its neighbours'
  (``ClassifyContext``: every input has text).  They decide what a line's words say it is:
  a jump line, the masthead, a dateline lead, credits, a byline, a caption.
* :data:`converters.pdf.roles.LAYOUT_RULES` see what only a page's layout gives (``Flow``:
  type size, weight, position, pictures), over the PDF's text blocks before they are cut
  into paragraphs.  They decide what type and place say (a title is the largest type of
  its story), and hand content decisions to the content rules, so both inputs parse a
  byline or a jump line alike.

One registry with rules that "apply where the block has a size" was the alternative; it
would make every content rule pay for layout tests a dump can never pass, and the layout
rules walk a different unit (a set block of lines, not a paragraph).  Two instances of
one class keep each list short and its order readable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from markdown.util import Registry

C = TypeVar("C")


@dataclass(frozen=True)
class Rule(Generic[C]):
    """``test(context, i)``: is block ``i`` what this rule decides?  ``run(context, i)``: say so."""

    name: str
    priority: int
    test: Callable[[C, int], bool]
    run: Callable[[C, int], None]


class Rules(Registry, Generic[C]):
    """Rules sorted by priority, highest first (``markdown.util.Registry``)."""

    def __init__(self, rules: list[Rule[C]] = ()) -> None:
        super().__init__()
        for rule in rules:
            self.add(rule)

    def add(self, rule: Rule[C]) -> None:
        """Register ``rule`` under its name and priority (replacing a rule of that name)."""
        self.register(rule, rule.name, rule.priority)

    def ordered(self) -> tuple[Rule[C], ...]:
        """The rules in the order they are tried (take once per page: the registry sorts
        and copies on every iteration)."""
        return tuple(self)


def run_first(rules: tuple[Rule[C], ...], context: C, i: int) -> Rule[C] | None:
    """Run the first rule whose test passes on block ``i``; return it (None: no rule did)."""
    for rule in rules:
        if rule.test(context, i):
            rule.run(context, i)
            return rule
    return None
