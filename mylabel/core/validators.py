from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


@deconstructible
class HostURLValidator(URLValidator):
    """An http(s) URL on one of ``hosts`` (or their subdomains), e.g. a real Instagram profile
    link rather than any URL typed into the Instagram box."""

    def __init__(self, hosts: list[str], label: str) -> None:
        super().__init__(schemes=["https", "http"])
        self.hosts = hosts
        self.label = label

    def __call__(self, value: str) -> None:
        super().__call__(value)
        host = (urlsplit(value).hostname or "").lower()
        if not any(host == allowed or host.endswith("." + allowed) for allowed in self.hosts):
            raise ValidationError(
                _("Enter a %(label)s link (%(hosts)s)."),
                code="wrong_host",
                params={"label": self.label, "hosts": ", ".join(self.hosts)},
            )

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, HostURLValidator)
            and self.hosts == other.hosts
            and self.label == other.label
        )
