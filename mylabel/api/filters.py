"""Filters shared by the API's FilterSets."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

TRUE_VALUES = {"true", "1"}
FALSE_VALUES = {"false", "0"}


class StrictBooleanField(forms.NullBooleanField):
    """``true``/``false`` (or 1/0); empty means "not filtered"; anything else is an error,
    where django-filter's own boolean widget would quietly drop the filter."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        text = str(value).strip().lower() if value is not None else ""
        if not text:
            return None
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
        raise ValidationError(_("Use true or false."), code="invalid")

    def validate(self, value: Any) -> None:
        return None


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The REST flavour of BooleanFilter sets the lenient widget unless given one.
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)
