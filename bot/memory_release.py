"""Hand freed heap memory back to the operating system after a burst (issue #19, goal 5).

A broadcast to thousands of groups allocates many small objects (requests, responses,
per-chat pacing state). Once they are freed, CPython reuses the memory, but the C
allocator (glibc's malloc) keeps most of it in its heap, so the process's resident size
stays up after the burst. `malloc_trim(0)` returns the free pages at the top of the heap
and the free runs inside it. C libraries without it (musl, macOS) make this a no-op.

Called by the rate limiter when its prune drops many idle chats, i.e. at most once per
prune period and only after a burst: a trim costs a few milliseconds.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim  # the process's C library
    except (OSError, AttributeError):
        return None
    return trim


_TRIM = _malloc_trim()


def release_free_memory() -> bool:
    """Return free heap memory to the OS; False where the C library cannot."""
    if _TRIM is None:
        return False
    _TRIM(0)
    return True
