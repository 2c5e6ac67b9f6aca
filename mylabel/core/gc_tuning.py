"""Garbage-collector settings for the process that serves WebSockets (issue 6 point 12).

bench/chat.py traced the chat's delivery tail (p99 ≈ 70 to 260 ms while the median was ≈ 22 ms) to
CPython's full (generation 2) collections: each one walked the whole heap of a set-up Django
process (≈ 155,000 objects) and stopped the event loop, and with it every socket of the process,
for 95 to 150 ms, about every 3 seconds at 50 clients at 10 messages/s.

Two changes, both standard for long-running Python servers:

- ``gc.freeze()`` once the application is imported: the objects that exist then (modules,
  settings, URL patterns, models) live as long as the process, so full collections stop walking
  them (measured: 13 to 32 ms per full collection instead of 95 to 150 ms).
- A larger first-generation threshold (``GEN0_THRESHOLD`` container allocations instead of
  CPython's 700) and more young collections per older one: collections run far less often (no
  full collection in a 30 s benchmark run), at the cost of cyclic garbage living a little longer.
"""

import gc

GEN0_THRESHOLD = 10_000
GEN1_THRESHOLD = 20
GEN2_THRESHOLD = 20

_tuned = False


def tune_for_server() -> None:
    """Freeze the heap as it is now and raise the collection thresholds; once per process (a
    second call would freeze objects created while serving, which may be garbage)."""
    global _tuned
    if _tuned:
        return
    _tuned = True
    # Collect first, so what is already garbage is freed rather than frozen for good.
    gc.collect()
    gc.freeze()
    gc.set_threshold(GEN0_THRESHOLD, GEN1_THRESHOLD, GEN2_THRESHOLD)
