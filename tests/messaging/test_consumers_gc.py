"""The WebSocket server's collector settings (core.gc_tuning), applied when the consumers load."""

import gc

from mylabel.core import gc_tuning
from mylabel.messaging import consumers


def test_importing_the_consumers_tunes_the_collector() -> None:
    assert consumers.gc_tuning is gc_tuning  # the module that applies it is loaded
    assert gc.get_threshold() == (
        gc_tuning.GEN0_THRESHOLD,
        gc_tuning.GEN1_THRESHOLD,
        gc_tuning.GEN2_THRESHOLD,
    )
    # The heap of the set-up process is frozen, so full collections no longer walk it.
    assert gc.get_freeze_count() > 10_000


def test_tuning_runs_once_per_process() -> None:
    frozen = gc.get_freeze_count()
    gc_tuning.tune_for_server()
    assert gc.get_freeze_count() == frozen
