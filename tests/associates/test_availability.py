"""The professional's availability page and its services (mylabel.associates.availability):
who may see and change it, what each form does with htmx and without, and the clear refusals."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mylabel.associates import availability, tasks
from mylabel.associates.models import Associate, BusyTime, DateException, NoticeUnit, WeeklyRule
from tests.htmx import HTMX

PAGE = "/associates/marco-riva/availability/"
FUTURE = date.today() + timedelta(days=30)


def url(name: str, *args) -> str:
    return reverse(f"associates:{name}", args=["marco-riva", *args])


@pytest.fixture
def rule(marco: Associate) -> WeeklyRule:
    return WeeklyRule.objects.create(
        associate=marco, weekday=0, start_time=time(9), end_time=time(12)
    )


@pytest.fixture
def enqueued(monkeypatch) -> list[tuple]:
    """Calls to ``sync_external_calendar.enqueue``, which do nothing else here."""
    calls: list[tuple] = []

    class RecordingTask:
        @staticmethod
        def enqueue(*args) -> None:
            calls.append(args)

    monkeypatch.setattr(tasks, "sync_external_calendar", RecordingTask)
    return calls


# --- Who sees the page --------------------------------------------------------------------------


def test_the_owner_sees_the_availability_page_with_every_section(associate_client, rule):
    response = associate_client.get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    for section in ["weekly", "exceptions", "rules", "calendar"]:
        assert f'id="availability-{section}"' in html
    assert "09:00–12:00" in html  # noqa: RUF001
    assert "css/availability.css" in html
    assert "style=" not in html


def test_the_profile_page_links_its_owner_to_the_availability_page(associate_client, client):
    assert PAGE in associate_client.get("/associates/marco-riva/").content.decode()


def test_visitors_of_the_profile_get_no_availability_link(client, marco):
    assert PAGE not in client.get("/associates/marco-riva/").content.decode()


@pytest.mark.parametrize("who", ["anonymous", "stranger", "artist"])
def test_anyone_but_the_owner_gets_404_on_every_availability_url(
    client, marco, rule, outsider, artist, who
):
    if who == "stranger":
        client.force_login(outsider)
    elif who == "artist":
        client.force_login(artist)

    assert client.get(PAGE).status_code == 404
    posts = [
        (url("availability-weekly-add"), {"weekday": 1, "start_time": "9:00", "end_time": "10:00"}),
        (url("availability-weekly-delete", rule.pk), {}),
        (url("availability-exception-add"), {"date": FUTURE.isoformat(), "kind": "blocked"}),
        (url("availability-rules"), {"buffer_minutes": 0, "notice_amount": 0,
                                     "notice_unit": "hours", "horizon_days": 5}),
        (url("availability-calendar"), {"external_calendar_url": "https://example.com/a.ics"}),
        (url("availability-calendar-sync"), {}),
    ]  # fmt: skip
    for target, data in posts:
        assert client.post(target, data).status_code == 404, target
    assert WeeklyRule.objects.count() == 1
    assert not DateException.objects.exists()
    marco.refresh_from_db()
    assert marco.horizon_days != 5
    assert marco.external_calendar_url == ""


def test_another_professionals_rule_cannot_be_deleted_through_my_page(associate_client, marco):
    from tests.profile_factories import AssociateFactory

    other_rule = WeeklyRule.objects.create(
        associate=AssociateFactory.create(), weekday=0, start_time=time(9), end_time=time(10)
    )

    response = associate_client.post(url("availability-weekly-delete", other_rule.pk))

    assert response.status_code == 404
    assert WeeklyRule.objects.filter(pk=other_rule.pk).exists()


# --- Weekly rules -------------------------------------------------------------------------------


def test_adding_hours_with_htmx_swaps_the_weekly_section(associate_client, marco):
    response = associate_client.post(
        url("availability-weekly-add"),
        {"weekday": 2, "start_time": "14:00", "end_time": "18:30"},
        headers=HTMX,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="availability-weekly"')
    assert "14:00–18:30" in html  # noqa: RUF001
    assert "Your hours are saved." in html  # the toast, out of band
    rule = WeeklyRule.objects.get(associate=marco)
    assert (rule.weekday, rule.start_time, rule.end_time) == (2, time(14), time(18, 30))


def test_adding_hours_without_javascript_redirects_back_to_the_section(associate_client, marco):
    response = associate_client.post(
        url("availability-weekly-add"), {"weekday": 0, "start_time": "09:00", "end_time": "10:00"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}#availability-weekly"
    assert WeeklyRule.objects.filter(associate=marco).count() == 1


def test_a_day_can_have_several_ranges(associate_client, marco, rule):
    associate_client.post(
        url("availability-weekly-add"), {"weekday": 0, "start_time": "12:00", "end_time": "13:00"}
    )
    associate_client.post(
        url("availability-weekly-add"), {"weekday": 0, "start_time": "15:00", "end_time": "19:00"}
    )

    assert WeeklyRule.objects.filter(associate=marco, weekday=0).count() == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"weekday": 0, "start_time": "11:00", "end_time": "14:00"},
         "This overlaps your 09:00–12:00 hours on that day."),  # noqa: RUF001
        ({"weekday": 0, "start_time": "08:00", "end_time": "13:00"},
         "This overlaps your 09:00–12:00 hours on that day."),  # noqa: RUF001
        ({"weekday": 3, "start_time": "18:00", "end_time": "09:00"},
         "The end must be after the start."),
        ({"weekday": 3, "start_time": "18:00", "end_time": "18:00"},
         "The end must be after the start."),
        ({"weekday": 3, "start_time": "25:00", "end_time": "26:00"}, "Enter a valid time."),
        ({"weekday": 9, "start_time": "09:00", "end_time": "10:00"}, "Select a valid choice."),
    ],
)  # fmt: skip
def test_bad_hours_are_refused_with_a_clear_message_and_nothing_saved(
    associate_client, rule, data, message
):
    response = associate_client.post(url("availability-weekly-add"), data, headers=HTMX)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert WeeklyRule.objects.count() == 1


def test_refused_hours_without_javascript_show_the_page_with_the_error(associate_client, rule):
    response = associate_client.post(
        url("availability-weekly-add"), {"weekday": 0, "start_time": "10:00", "end_time": "11:00"}
    )

    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert "This overlaps your" in response.content.decode()


def test_removing_hours_deletes_the_rule(associate_client, rule):
    response = associate_client.post(url("availability-weekly-delete", rule.pk), headers=HTMX)

    assert response.status_code == 200
    assert not WeeklyRule.objects.exists()
    assert "Those hours are removed." in response.content.decode()


def test_deleting_needs_a_post(associate_client, rule):
    assert associate_client.get(url("availability-weekly-delete", rule.pk)).status_code == 405
    assert WeeklyRule.objects.exists()


# --- Date exceptions ----------------------------------------------------------------------------


def test_blocking_a_whole_day(associate_client, marco):
    response = associate_client.post(
        url("availability-exception-add"),
        {"date": FUTURE.isoformat(), "kind": "blocked", "note": "Holiday"},
        headers=HTMX,
    )

    exception = DateException.objects.get(associate=marco)
    assert (exception.kind, exception.start_time, exception.note) == ("blocked", None, "Holiday")
    assert "all day" in response.content.decode()


def test_blocking_a_range_and_adding_an_extra_opening(associate_client, marco):
    for kind in ["blocked", "open"]:
        associate_client.post(
            url("availability-exception-add"),
            {"date": FUTURE.isoformat(), "kind": kind, "start_time": "18:00", "end_time": "20:00"},
        )

    assert sorted(DateException.objects.values_list("kind", flat=True)) == ["blocked", "open"]
    page = associate_client.get(PAGE).content.decode()
    assert "Extra opening" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "2020-01-01", "kind": "blocked"}, "This date is in the past."),
        ({"date": FUTURE.isoformat(), "kind": "open"}, "Give the hours of the extra opening."),
        ({"date": FUTURE.isoformat(), "kind": "blocked", "start_time": "10:00"},
         "Give both a start and an end time."),
        ({"date": FUTURE.isoformat(), "kind": "open", "start_time": "10:00", "end_time": "09:00"},
         "The end must be after the start."),
        ({"date": "not a date", "kind": "blocked"}, "Enter a valid date."),
        ({"date": FUTURE.isoformat(), "kind": "maybe"}, "Select a valid choice."),
    ],
)  # fmt: skip
def test_bad_dates_are_refused_with_a_clear_message(associate_client, data, message):
    response = associate_client.post(url("availability-exception-add"), data, headers=HTMX)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DateException.objects.exists()


def test_a_whole_day_cannot_be_blocked_twice(associate_client, marco):
    data = {"date": FUTURE.isoformat(), "kind": "blocked"}
    associate_client.post(url("availability-exception-add"), data)

    response = associate_client.post(url("availability-exception-add"), data, headers=HTMX)

    assert "This whole day is already blocked." in response.content.decode()
    assert DateException.objects.count() == 1


def test_past_exceptions_leave_the_page_and_can_be_removed(associate_client, marco):
    old = DateException.objects.create(associate=marco, date=date(2020, 1, 1))
    upcoming = DateException.objects.create(associate=marco, date=FUTURE, note="Tour")

    page = associate_client.get(PAGE).content.decode()
    assert "Tour" in page
    assert "2020" not in page

    associate_client.post(url("availability-exception-delete", upcoming.pk))
    assert list(DateException.objects.all()) == [old]


# --- Booking rules ------------------------------------------------------------------------------


def test_saving_booking_rules(associate_client, marco):
    response = associate_client.post(
        url("availability-rules"),
        {"buffer_minutes": 30, "notice_amount": 2, "notice_unit": "days", "horizon_days": 90},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "Your booking rules are saved." in response.content.decode()
    marco.refresh_from_db()
    assert (marco.buffer_minutes, marco.notice_amount, marco.notice_unit, marco.horizon_days) == (
        30,
        2,
        NoticeUnit.DAYS,
        90,
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("buffer_minutes", "-5"),
        ("buffer_minutes", "999"),
        ("notice_amount", "abc"),
        ("notice_unit", "weeks"),
        ("horizon_days", "0"),
        ("horizon_days", "1000"),
    ],
)
def test_bad_booking_rules_are_refused_and_nothing_changes(associate_client, marco, field, value):
    data = {"buffer_minutes": 10, "notice_amount": 1, "notice_unit": "hours", "horizon_days": 30}
    data[field] = value

    response = associate_client.post(url("availability-rules"), data, headers=HTMX)

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    marco.refresh_from_db()
    assert (marco.buffer_minutes, marco.horizon_days) == (15, 60)


def test_the_rules_service_refuses_out_of_range_values_itself(marco, associate):
    with pytest.raises(ValidationError) as caught:
        availability.update_booking_rules(
            associate=marco,
            by=associate,
            buffer_minutes=10,
            notice_amount=1,
            notice_unit="hours",
            horizon_days=400,
        )

    assert "horizon_days" in caught.value.message_dict
    assert marco.horizon_days == 60
    marco.refresh_from_db()
    assert marco.horizon_days == 60


# --- External calendar --------------------------------------------------------------------------


def test_connecting_a_calendar_stores_it_and_starts_a_sync(
    associate_client, marco, django_capture_on_commit_callbacks, enqueued
):
    with django_capture_on_commit_callbacks(execute=True):
        response = associate_client.post(
            url("availability-calendar"),
            {"external_calendar_url": "webcal://calendar.example.com/private/basic.ics"},
            headers=HTMX,
        )

    assert response.status_code == 200
    marco.refresh_from_db()
    assert marco.external_calendar_url == "https://calendar.example.com/private/basic.ics"
    assert enqueued == [(marco.pk,)]
    html = response.content.decode()
    assert "Sync now" in html
    assert "Not synced yet." in html


def test_the_sync_outcome_shows_on_the_page(associate_client, marco):
    marco.external_calendar_url = "https://calendar.example.com/a.ics"
    marco.calendar_sync_error = "The calendar's server answered with error 404."
    marco.save()

    page = associate_client.get(PAGE).content.decode()

    assert "The last sync failed:" in page
    assert "error 404" in page


@pytest.mark.parametrize(
    "address", ["ftp://example.com/cal.ics", "javascript:alert(1)", "not an address"]
)
def test_a_calendar_address_that_is_not_http_is_refused(associate_client, marco, address):
    response = associate_client.post(
        url("availability-calendar"), {"external_calendar_url": address}, headers=HTMX
    )

    assert "Enter the calendar&#x27;s http(s) or webcal address." in response.content.decode()
    marco.refresh_from_db()
    assert marco.external_calendar_url == ""


def test_disconnecting_the_calendar_removes_its_busy_times(associate_client, marco):
    marco.external_calendar_url = "https://calendar.example.com/a.ics"
    marco.save()
    BusyTime.objects.create(associate=marco, start="2030-01-01T10:00Z", end="2030-01-01T11:00Z")

    associate_client.post(url("availability-calendar"), {"external_calendar_url": ""})

    marco.refresh_from_db()
    assert marco.external_calendar_url == ""
    assert not BusyTime.objects.exists()


def test_sync_now_enqueues_an_import(
    associate_client, marco, django_capture_on_commit_callbacks, enqueued
):
    marco.external_calendar_url = "https://calendar.example.com/a.ics"
    marco.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = associate_client.post(url("availability-calendar-sync"), headers=HTMX)

    assert enqueued == [(marco.pk,)]
    assert "Your calendar is being synced." in response.content.decode()


def test_sync_now_without_a_calendar_says_so(associate_client, marco):
    response = associate_client.post(url("availability-calendar-sync"), headers=HTMX)

    assert response.status_code == 200
    assert "Add your calendar&#x27;s address first." in response.content.decode()


# --- Services refuse other users ----------------------------------------------------------------


def test_the_services_refuse_anyone_but_the_owner(marco, rule, outsider):
    with pytest.raises(PermissionDenied):
        availability.add_weekly_rule(
            associate=marco, by=outsider, weekday=1, start_time=time(9), end_time=time(10)
        )
    with pytest.raises(PermissionDenied):
        availability.delete_weekly_rule(rule=rule, by=outsider)
    with pytest.raises(PermissionDenied):
        availability.add_date_exception(associate=marco, by=outsider, date=FUTURE, kind="blocked")
    with pytest.raises(PermissionDenied):
        availability.set_external_calendar(associate=marco, by=outsider, url="")
    with pytest.raises(PermissionDenied):
        availability.update_booking_rules(
            associate=marco,
            by=outsider,
            buffer_minutes=0,
            notice_amount=0,
            notice_unit="hours",
            horizon_days=1,
        )
    assert WeeklyRule.objects.count() == 1


def test_the_page_query_count_does_not_grow_with_rules_and_dates(
    associate_client, marco, django_assert_num_queries
):
    WeeklyRule.objects.create(associate=marco, weekday=0, start_time=time(9), end_time=time(10))
    DateException.objects.create(associate=marco, date=FUTURE)
    associate_client.get(PAGE)  # warm the session and the cached permissions
    # (includes the navigation bell's unread count)
    with django_assert_num_queries(8) as one:
        associate_client.get(PAGE)

    for weekday in range(7):
        for hour in range(12, 20, 2):
            WeeklyRule.objects.create(
                associate=marco, weekday=weekday, start_time=time(hour), end_time=time(hour + 1)
            )
        DateException.objects.create(associate=marco, date=FUTURE + timedelta(days=weekday + 1))
    with django_assert_num_queries(len(one.captured_queries)):
        associate_client.get(PAGE)
