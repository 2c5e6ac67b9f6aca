"""Precomputing: the service writes the rows, the task and the command run it, and a booking's
change recomputes its artist's rows after the commit, once per burst."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.bookings.models import Booking, Status
from mylabel.bookings.signals import booking_status_changed
from mylabel.recommendations import tasks
from mylabel.recommendations.engine import Recommender
from mylabel.recommendations.models import Kind, Recommendation
from mylabel.recommendations.services import refresh_recommendations
from tests.bookings.calendar_helpers import record_event
from tests.profile_factories import ArtistFactory
from tests.recommendations.helpers import completed, scene

pytestmark = pytest.mark.django_db


def test_refreshing_writes_ranked_rows_for_each_listed_artist(nina: Artist, marco: Associate):
    setting = scene(nina, marco)

    written = refresh_recommendations()

    rows = list(Recommendation.objects.filter(artist=nina, kind=Kind.ASSOCIATE))
    assert written == Recommendation.objects.count()
    assert [row.rank for row in rows] == list(range(1, len(rows) + 1))
    assert rows[0].target_associate in {setting.next_up, marco}
    assert setting.booked not in {row.target_associate for row in rows}
    assert Recommendation.objects.filter(artist=setting.peers[0], kind=Kind.ARTIST).exists()


def test_refreshing_one_artist_leaves_the_others_rows_alone(nina: Artist, marco: Associate):
    setting = scene(nina, marco)
    refresh_recommendations()
    peer_rows = list(
        Recommendation.objects.filter(artist=setting.peers[0]).values_list("pk", flat=True)
    )

    refresh_recommendations(artist_pks=[nina.pk])

    assert (
        list(Recommendation.objects.filter(artist=setting.peers[0]).values_list("pk", flat=True))
        == peer_rows
    )


def test_an_unlisted_artist_loses_their_rows(nina: Artist, marco: Associate):
    scene(nina, marco)
    refresh_recommendations()
    nina.user.is_active = False
    nina.user.save()

    refresh_recommendations()

    assert not Recommendation.objects.filter(artist=nina).exists()


def test_the_task_refreshes_everyone_or_one_artist(nina: Artist, marco: Associate):
    scene(nina, marco)

    everyone = tasks.refresh_recommendations.enqueue()
    one = tasks.refresh_recommendations.enqueue(nina.pk)

    assert everyone.return_value > one.return_value > 0
    assert one.return_value == Recommendation.objects.filter(artist=nina).count()


def test_the_command_refreshes_everyone(nina: Artist, marco: Associate, capsys):
    scene(nina, marco)

    call_command("refresh_recommendations")

    assert f"{Recommendation.objects.count()} recommendations written." in capsys.readouterr().out


def test_a_booking_change_recomputes_its_artist_after_the_commit(
    nina: Artist, marco: Associate, django_capture_on_commit_callbacks
):
    setting = scene(nina, marco)
    refresh_recommendations()
    assert Recommendation.objects.filter(artist=nina, target_associate=setting.next_up).exists()
    booking = completed(nina, setting.next_up, days_ago=1)
    event = record_event(booking, to_status=Status.COMPLETED)

    with django_capture_on_commit_callbacks(execute=True):
        booking_status_changed.send(sender=Booking, booking=booking, event=event)
        # Nothing happens before the commit.
        assert Recommendation.objects.filter(artist=nina, target_associate=setting.next_up).exists()

    assert not Recommendation.objects.filter(artist=nina, target_associate=setting.next_up).exists()


@time_machine.travel("2026-11-02 10:00:00+00:00", tick=False)
def test_a_burst_of_changes_schedules_one_deferred_run(nina: Artist, settings):
    """On a worker's backend: one run, a minute after the first change, for the whole burst."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    tasks.schedule_refresh(nina.pk)
    tasks.schedule_refresh(nina.pk)

    scheduled = DBTaskResult.objects.get(task_path__endswith="refresh_recommendations")
    assert scheduled.run_after == datetime(2026, 11, 2, 10, 1, tzinfo=UTC)
    assert scheduled.args_kwargs["args"] == [nina.pk]


def test_the_run_clears_the_flag_so_the_next_change_schedules_again(nina: Artist, marco: Associate):
    scene(nina, marco)
    tasks.schedule_refresh(nina.pk)  # the in-process backend runs it at once

    assert cache.get(tasks.DEBOUNCE_KEY.format(artist_pk=nina.pk)) is None
    assert Recommendation.objects.filter(artist=nina).exists()


def test_changes_while_refreshes_are_paused_schedule_nothing(nina: Artist, marco: Associate):
    """seed_demo pauses them and refreshes everyone once at the end."""
    scene(nina, marco)
    with tasks.refreshes_paused():
        tasks.schedule_refresh(nina.pk)
    assert not Recommendation.objects.exists()
    assert cache.get(tasks.DEBOUNCE_KEY.format(artist_pk=nina.pk)) is None

    tasks.schedule_refresh(nina.pk)
    assert Recommendation.objects.filter(artist=nina).exists()


def test_runs_due_together_share_one_model_that_saw_their_changes(
    nina: Artist, marco: Associate, monkeypatch
):
    """Each artist's run fits on the whole community; runs whose changes the last model already
    saw reuse it, a run for a later change fits again."""
    scene(nina, marco)
    other = ArtistFactory.create()
    fits: list[Recommender] = []

    def counted_fit() -> Recommender:
        fits.append(fit())
        return fits[-1]

    fit = tasks.services.fit
    monkeypatch.setattr(tasks.services, "fit", counted_fit)
    with time_machine.travel("2026-11-02 10:00:00+00:00", tick=False) as clock:
        for artist in (nina, other):
            cache.set(tasks.DEBOUNCE_KEY.format(artist_pk=artist.pk), timezone.now().isoformat())
        clock.shift(60)
        tasks.refresh_recommendations.call(nina.pk)
        tasks.refresh_recommendations.call(other.pk)
        assert len(fits) == 1
        assert Recommendation.objects.filter(artist=nina).exists()

        clock.shift(5)
        tasks.schedule_refresh(nina.pk)  # a change after that model read the data

    assert len(fits) == 2


def test_a_new_fit_does_not_hold_the_old_model_and_the_run_gives_memory_back(
    nina: Artist, marco: Associate, monkeypatch
):
    """The worker's memory (issue 10's soak): the last model is let go before the next fit
    reads the community, and every run ends by returning freed pages to the system, a failed
    one too."""
    scene(nina, marco)
    fit = tasks.services.fit
    held_while_fitting: list[object] = []
    released: list[str] = []

    def watched_fit() -> Recommender:
        held_while_fitting.append(tasks._last_fit)
        return fit()

    monkeypatch.setattr(tasks.services, "fit", watched_fit)
    monkeypatch.setattr(tasks, "release_free_memory", lambda: released.append("after a run"))
    tasks.refresh_recommendations.call(nina.pk)
    tasks.refresh_recommendations.call(nina.pk)  # no change flagged: fits again

    assert held_while_fitting == [None, None]
    assert released == ["after a run"] * 2

    def broken_fit() -> Recommender:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(tasks.services, "fit", broken_fit)
    with pytest.raises(RuntimeError):
        tasks.refresh_recommendations.call(nina.pk)
    assert len(released) == 3
