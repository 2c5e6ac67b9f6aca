"""Giving freed memory back to the operating system, for processes that build large temporary
structures now and then (the task worker's recommendation refreshes).

CPython frees a large structure's blocks to the C allocator, but glibc keeps the pages of its
heap mapped for reuse, so a process's resident size stays at the high-water mark of its biggest
job. The soak (``make soak``, docs/benchmarks.md) saw the task worker swing between 375 and
400 MiB as refreshes came and went. ``malloc_trim(0)`` hands the free pages back; Dask's workers
do the same for the same reason.
"""

import ctypes
import ctypes.util
from functools import cache
from typing import Any


@cache
def _libc() -> Any:
    """glibc, when this process runs on it (``None`` elsewhere: musl and macOS have no
    ``malloc_trim`` and give memory back on their own terms)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None


def release_free_memory() -> bool:
    """Return the allocator's free pages to the operating system; whether it could try.

    Cheap next to the work that freed them (it walks the heap once): call it after a large
    structure is dropped, not on every request."""
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True
