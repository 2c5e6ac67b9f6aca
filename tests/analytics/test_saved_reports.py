"""Saved report definitions: save, rerun, rename, delete; each admin sees only their own."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from mylabel.accounts.models import User
from mylabel.analytics import services
from mylabel.analytics.models import SavedReport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

QUERY = "metric=revenue&group_by=city&start=2026-02-01&end=2026-02-28"


@pytest.fixture
def admin_client(client: Client, label_admin: User) -> Client:
    client.force_login(label_admin)
    return client


@pytest.fixture
def saved(label_admin: User) -> SavedReport:
    return services.save_report(
        by=label_admin, name="February by city", parameters=QueryDict(QUERY)
    )


def test_saving_keeps_the_reports_own_parameters_and_reruns_it(
    admin_client: Client, label_admin: User
) -> None:
    response = admin_client.post(
        reverse("analytics:report_save"), {"name": "  Cities  ", "query": QUERY + "&page=3&utm=x"}
    )

    report = SavedReport.objects.get(owner=label_admin)
    assert report.name == "Cities"
    assert QueryDict(report.query) == QueryDict(QUERY)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('analytics:reports')}?{report.query}"
    rerun = admin_client.get(reverse("analytics:saved_report", kwargs={"pk": report.pk}))
    assert rerun["Location"] == report.get_absolute_url()
    page = admin_client.get(report.get_absolute_url())
    assert page.context["report"].metric == "revenue"
    assert "Cities" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "query": QUERY}, "Give the report a name."),
        ({"name": "x" * 121, "query": QUERY}, "Keep the name under 120 characters."),
        (
            {"name": "Broken", "query": "metric=salaries&group_by=city"},
            "Only a report that runs can be saved.",
        ),
    ],
)
def test_a_bad_save_is_explained_and_saves_nothing(
    admin_client: Client, data: dict[str, str], message: str
) -> None:
    response = admin_client.post(reverse("analytics:report_save"), data, follow=True)

    assert message in response.content.decode()
    assert not SavedReport.objects.exists()


def test_renaming_and_deleting(admin_client: Client, saved: SavedReport) -> None:
    admin_client.post(
        reverse("analytics:saved_report_rename", kwargs={"pk": saved.pk}), {"name": "Cities"}
    )
    saved.refresh_from_db()
    assert saved.name == "Cities"

    response = admin_client.post(
        reverse("analytics:saved_report_rename", kwargs={"pk": saved.pk}),
        {"name": " "},
        follow=True,
    )
    saved.refresh_from_db()
    assert saved.name == "Cities"
    assert "Give the report a name." in response.content.decode()

    admin_client.post(reverse("analytics:saved_report_delete", kwargs={"pk": saved.pk}))
    assert not SavedReport.objects.exists()


@pytest.mark.parametrize("name", ["saved_report", "saved_report_rename", "saved_report_delete"])
def test_another_admins_report_is_not_found(client: Client, saved: SavedReport, name: str) -> None:
    client.force_login(UserFactory.create(label_admin=True))
    url = reverse(f"analytics:{name}", kwargs={"pk": saved.pk})

    response = client.get(url) if name == "saved_report" else client.post(url, {"name": "Mine"})

    assert response.status_code == 404
    saved.refresh_from_db()
    assert saved.name == "February by city"


def test_the_page_lists_only_my_reports(admin_client: Client, saved: SavedReport) -> None:
    services.save_report(
        by=UserFactory.create(label_admin=True), name="Somebody else's", parameters=QueryDict(QUERY)
    )

    html = admin_client.get(reverse("analytics:reports")).content.decode()

    assert "February by city" in html
    assert "Somebody else" not in html


def test_the_services_refuse_non_admins_and_other_owners(artist: User, saved: SavedReport) -> None:
    with pytest.raises(PermissionDenied):
        services.save_report(by=artist, name="Mine", parameters=QueryDict(QUERY))
    with pytest.raises(PermissionDenied):
        services.rename_report(report=saved, by=UserFactory.create(label_admin=True), name="Mine")
    with pytest.raises(PermissionDenied):
        services.delete_report(report=saved, by=UserFactory.create(label_admin=True))
    assert SavedReport.objects.get().name == "February by city"


ADDRESSES = [
    ("get", reverse("analytics:reports"), {}),
    ("get", reverse("analytics:reports"), {"HX-Request": "true"}),
    ("get", reverse("analytics:report_export"), {}),
    ("post", reverse("analytics:report_save"), {}),
]


@pytest.mark.parametrize(("method", "url", "headers"), ADDRESSES)
@pytest.mark.parametrize("persona_client", ["artist_client", "associate_client", "stranger_client"])
def test_members_who_are_not_label_admins_are_refused_everywhere(
    request: pytest.FixtureRequest,
    persona_client: str,
    method: str,
    url: str,
    headers: dict[str, str],
) -> None:
    client = request.getfixturevalue(persona_client)

    response = getattr(client, method)(
        url, {"name": "x", "query": QUERY} if method == "post" else {}, headers=headers
    )

    assert response.status_code == 403
    assert not SavedReport.objects.exists()


@pytest.mark.parametrize("name", ["saved_report", "saved_report_rename", "saved_report_delete"])
def test_members_who_are_not_label_admins_cannot_touch_saved_reports(
    artist_client: Client, saved: SavedReport, name: str
) -> None:
    url = reverse(f"analytics:{name}", kwargs={"pk": saved.pk})

    response = artist_client.get(url) if name == "saved_report" else artist_client.post(url)

    assert response.status_code == 403
    assert SavedReport.objects.filter(pk=saved.pk).exists()


def test_visitors_are_sent_to_log_in_from_every_address(client: Client) -> None:
    for url in [reverse("analytics:reports"), reverse("analytics:report_export")]:
        assert client.get(url).status_code == 302
