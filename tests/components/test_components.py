"""Presentational components: they render what they are handed and never query."""

import re
from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template import Context, Template

from mylabel.accounts.models import User


def first(pattern: str, html: str, group: int = 0) -> str:
    match = re.search(pattern, html)
    assert match, f"{pattern!r} not in {html}"
    return match.group(group)


def render(source: str, **context) -> str:
    return Template("{% load components %}" + source).render(Context(context))


class StageForm(forms.Form):
    stage_name = forms.CharField(label="Stage name", max_length=5, help_text="As on your releases.")
    signed = forms.BooleanField(label="Signed to the label", required=False)


# --- avatar -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_avatar_without_an_image_shows_initials(django_assert_num_queries):
    user = User(email="nina@example.com", display_name="nina della vale")
    with django_assert_num_queries(0):
        html = render("{% avatar person size=28 %}", person=user)
    assert ">ND</span>" in html
    assert "avatar--28" in html
    assert 'aria-hidden="true"' in html
    assert "<img" not in html


def test_avatar_initials_fall_back_to_the_email_name_then_a_question_mark():
    assert ">N</span>" in render("{% avatar person %}", person=User(email="nina@example.com"))
    assert ">?</span>" in render("{% avatar person %}", person=SimpleNamespace(name=""))


def test_avatar_with_an_image_shows_it():
    user = User(email="nina@example.com", display_name="Nina Vale")
    user.avatar.name = "avatars/7/20250101120000.jpg"
    html = render("{% avatar person size=72 %}", person=user)
    assert '<img class="avatar" src="/media/avatars/7/20250101120000.jpg"' in html
    assert 'width="72" height="72"' in html
    assert 'alt=""' in html  # decorative: the name is always next to it


def test_avatar_escapes_the_name():
    html = render("{% avatar person %}", person=SimpleNamespace(name="<b>x</b> y", avatar=None))
    assert "<b>" not in html
    assert "&lt;Y" in html


# --- field --------------------------------------------------------------------------------------


def test_field_renders_label_input_and_help_text_wired_together():
    html = render("{% field form.stage_name %}", form=StageForm())
    assert '<label for="id_stage_name">Stage name</label>' in html
    assert '<div class="field__help" id="id_stage_name_helptext">As on your releases.</div>' in html
    input_tag = first(r"<input[^>]*>", html)
    assert 'aria-describedby="id_stage_name_helptext"' in input_tag
    assert "field--invalid" not in html


def test_field_renders_errors_described_by_the_input():
    form = StageForm({"stage_name": "Far Too Long"})
    assert not form.is_valid()
    html = render("{% field form.stage_name %}", form=form)
    assert "field--invalid" in html
    assert '<ul class="errorlist" id="id_stage_name_error">' in html
    assert "at most 5 characters" in html
    input_tag = first(r"<input[^>]*>", html)
    assert 'aria-invalid="true"' in input_tag
    described_by = first(r'aria-describedby="([^"]*)"', input_tag, 1).split()
    assert set(described_by) == {"id_stage_name_helptext", "id_stage_name_error"}


def test_checkbox_field_is_wrapped_in_its_label():
    html = render("{% field form.signed class='field--inline' %}", form=StageForm())
    assert re.search(r'<label class="field__check"><input type="checkbox"[^>]*> Signed', html)
    assert 'class="field field--inline"' in html


# --- toasts -------------------------------------------------------------------------------------


@pytest.mark.parametrize("messages", [[], None])
def test_toasts_region_is_always_present_for_live_announcements(messages):
    html = render("{% toasts messages %}", messages=messages)
    assert 'id="toasts"' in html
    assert 'aria-live="polite"' in html
    assert "toast--" not in html


def test_toasts_show_each_message_with_its_level():
    messages = [Message(constants.SUCCESS, "Saved."), Message(constants.ERROR, "<oops>")]
    html = render("{% toasts messages %}", messages=messages)
    assert '<p class="toast toast--success">Saved.</p>' in html
    assert '<p class="toast toast--error">&lt;oops&gt;</p>' in html
