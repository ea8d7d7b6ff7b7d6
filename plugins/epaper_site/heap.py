"""Loading many long-lived objects at once without the cyclic garbage collector's help.

Unpickling a summary of ten years (200,000 stories) or a year's article store makes
hundreds of thousands of containers; each few hundred allocations trip a collection that
walks them all again, and at ten years that was most of the load's time.  None of them
form cycles, and they live as long as the build.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def bulk_objects() -> Iterator[None]:
    """Collector off while the block loads; what it loaded is then frozen out of later
    collections (``gc.freeze``), which would otherwise walk it again on every full one."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
