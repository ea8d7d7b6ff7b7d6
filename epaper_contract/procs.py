"""Processes that must not outlive the process that started them.

A build process writes into a staging tree.  When whoever started it dies (a Dask worker
lost under its task, a build interrupted), the tree is about to be rebuilt by a retry or
deleted by the next run's repair: a process still writing into it then would corrupt the
retry's output.  Linux's ``PR_SET_PDEATHSIG`` makes the kernel kill it instead.
"""

from __future__ import annotations

import ctypes
import os
import signal

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> bool:
    """Be killed (SIGKILL) when the parent dies; exit at once if ``parent`` is already gone.

    ``parent`` is the pid of the process that started this one, as it knew it before the
    start: if it died in between, this process has been re-parented and must not go on.
    Returns False where the kernel has no such call (not Linux): nothing is then promised.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if os.getppid() != parent:
        os._exit(1)
    return True
