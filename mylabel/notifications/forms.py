from typing import Any

from django import forms

from mylabel.notifications import push
from mylabel.notifications.models import Channel, Event
from mylabel.notifications.selectors import PreferenceRow


def field_name(event: str, channel: str) -> str:
    return f"{event}__{channel}"


class PreferencesForm(forms.Form):
    """One checkbox per event and channel (``<event>__<channel>``). Like any checkbox form, an
    unticked box is simply absent from the POST, so a submitted form sets every pair; names the
    form does not know are ignored. Without Web Push configured there is no push column, and
    saving leaves any stored push choices alone."""

    def __init__(self, *args: Any, grid: list[PreferenceRow], **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {field_name(row.event, channel): on for row in grid for channel, on in row.cells},
        )
        super().__init__(*args, **kwargs)
        self.channels = [
            channel for channel in Channel if channel != Channel.PUSH or push.is_enabled()
        ]
        for event in Event:
            for channel in self.channels:
                self.fields[field_name(event, channel)] = forms.BooleanField(
                    required=False, label=f"{event.label}: {channel.label}"
                )

    def choices(self) -> dict[tuple[str, str], bool]:
        """The submitted choices, keyed ``(event, channel)``, for ``services.set_preferences``."""
        return {
            (event.value, channel.value): bool(self.cleaned_data.get(field_name(event, channel)))
            for event in Event
            for channel in self.channels
        }

    @property
    def offers_push(self) -> bool:
        return Channel.PUSH in self.channels

    def rows(self) -> list[tuple[Event, list[tuple[Channel, forms.BoundField]]]]:
        """The grid for the template: per event, one bound checkbox per channel."""
        return [
            (event, [(channel, self[field_name(event, channel)]) for channel in self.channels])
            for event in Event
        ]
