"""Small helpers for the account journeys: finding links in the e-mails allauth sends."""

import re

from django.core.mail import EmailMessage


def link_in(message: EmailMessage, path_prefix: str) -> str:
    """The path of the first link in ``message`` that starts with ``path_prefix``."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}[^\s\"'<>]*)", str(message.body))
    assert match, f"no {path_prefix} link in:\n{message.body}"
    return match.group(1)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session
