"""Handing freed memory back to the system (mylabel/core/memory.py), on the real allocator."""

import platform
from pathlib import Path

import pytest

from mylabel.core.memory import release_free_memory

glibc = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
    reason="malloc_trim is glibc's",
)


def resident_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@glibc
def test_freed_heap_pages_go_back_to_the_system():
    # 200 MiB in 4 KiB blocks (malloc's heap, not mmap), then every block but one in 16
    # freed: the free runs sit between live blocks, where glibc's free() does not give them
    # back on its own, as after a refresh whose model outlives its temporaries.
    blocks = [bytearray(4096) for _ in range(51_200)]
    kept = blocks[::16]
    del blocks
    before = resident_mib()
    assert release_free_memory() is True
    after = resident_mib()
    assert before - after > 100, f"{before:.0f} MiB -> {after:.0f} MiB"
    assert len(kept) == 3200


def test_without_glibc_it_says_it_could_not(monkeypatch):
    from mylabel.core import memory

    monkeypatch.setattr(memory, "_libc", lambda: None)
    assert memory.release_free_memory() is False
