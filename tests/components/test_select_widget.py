"""Our select template (mylabel/templates/django/forms/widgets/select.html) writes exactly what
Django's own writes, only faster; FORM_RENDERER is what makes the site's forms use it."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.http import QueryDict

from mylabel.associates.forms_directory import AssociateDirectoryForm

CHOICES = [
    ("", "All genres"),
    ("soul", "Soul & <R&B>"),
    ("jazz", 'Jazz "live"'),
    (3, "Three"),
]
GROUPED = [
    ("Keys", [("piano", "Piano"), ("organ", "Organ")]),
    ("Strings", [("cello", "Cello")]),
    ("voice", "Voice"),
]
CASES = [
    pytest.param(forms.Select(choices=CHOICES), "jazz", id="selected"),
    pytest.param(forms.Select(choices=CHOICES), None, id="nothing selected"),
    pytest.param(forms.Select(choices=CHOICES), 3, id="number"),
    pytest.param(
        forms.Select(choices=CHOICES, attrs={"class": "x", "required": True}), "", id="attrs"
    ),
    pytest.param(forms.Select(choices=GROUPED), "cello", id="groups"),
    pytest.param(forms.SelectMultiple(choices=GROUPED), ["piano", "voice"], id="multiple"),
    pytest.param(forms.NullBooleanSelect(), True, id="null boolean"),
    pytest.param(forms.Select(choices=[]), None, id="empty"),
]


@pytest.mark.parametrize(("widget", "value"), CASES)
def test_a_select_is_written_exactly_as_django_writes_it(widget: forms.Select, value) -> None:
    ours = widget.render("field", value, attrs={"id": "id_field"})
    djangos = widget.render("field", value, attrs={"id": "id_field"}, renderer=DjangoTemplates())

    assert ours == djangos


def test_the_site_renders_selects_with_our_template() -> None:
    template = get_default_renderer().get_template("django/forms/widgets/select.html")

    assert template.origin.name.endswith("mylabel/templates/django/forms/widgets/select.html")


@pytest.mark.django_db
def test_a_directory_filter_keeps_its_choice() -> None:
    form = AssociateDirectoryForm.from_query(QueryDict("sort=rating"))

    html = str(form["sort"])

    assert '<option value="rating" selected>' in html
    assert '<option value="newest">' in html
