"""Form plumbing shared by the apps whose views edit through services."""

import copy
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models


class SectionForm[M: models.Model](forms.ModelForm[M]):
    """A ModelForm that validates one section of a model without touching the caller's instance.

    ModelForm validation writes the cleaned values onto its instance; the form works on a copy,
    so a page re-rendered with errors still shows the object as saved around the form. Saving is
    the service's job: views pass ``cleaned_data`` to it, never call ``save()``.
    """

    def __init__(self, data: Any = None, files: Any = None, *, instance: M, **kwargs: Any) -> None:
        super().__init__(data, files, instance=copy.copy(instance), **kwargs)

    def full_clean(self) -> None:
        super().full_clean()
        # A form swapped back in with errors focuses its first invalid field, not its first field.
        invalid = [name for name in self.fields if name in self.errors]
        if invalid:
            for field in self.fields.values():
                field.widget.attrs.pop("autofocus", None)
            self.fields[invalid[0]].widget.attrs["autofocus"] = True


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a ``ValidationError`` raised by a service on ``form``: on the field it names when the
    form has that field, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
