"""The ASGI server's collector settings (core.gc_tuning), applied once the application is built."""

import gc

import config.asgi
from mylabel.core import gc_tuning


def test_building_the_asgi_application_tunes_the_collector() -> None:
    assert config.asgi.application is not None  # built, then tuned
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
