"""Sentry, initialised by the settings only when ``SENTRY_DSN`` is set.

Events carry the release (``SENTRY_RELEASE``, else the deployed commit when the code is a git
checkout) and the environment. No personal data leaves by default: ``send_default_pii`` is left
unset, which sentry-sdk treats as off (2.x deprecates passing it in favour of
``data_collection`` and warns when it is given; unset, the SDK's own event scrubber stays on
too). ``before_send`` then drops cookies, credential headers and user details other than the id,
and masks anything that looks like an e-mail address anywhere in the event (messages, exception
values, breadcrumbs, local variables).

Imported by ``config/settings.py``: nothing here may import models.
"""

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import sentry_sdk

EMAIL_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
EMAIL_MASK = "[email]"
CREDENTIAL_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-csrftoken", "x-api-key"}
)
REPOSITORY = Path(__file__).resolve().parent.parent.parent


def git_release(repository: Path = REPOSITORY) -> str | None:
    """The checked-out commit's sha, or None outside a git checkout (a built image)."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        completed = subprocess.run(  # noqa: S603 - fixed arguments, no user input
            [git, "rev-parse", "HEAD"],
            cwd=repository,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return completed.stdout.strip() or None


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return EMAIL_ADDRESS.sub(EMAIL_MASK, value)
    if isinstance(value, dict):
        return {key: _mask(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_mask(item) for item in value]
    return value


def before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("cookies", None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value
                for name, value in headers.items()
                if name.lower() not in CREDENTIAL_HEADERS
            }
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    masked: dict[str, Any] = _mask(event)
    return masked


def init_sentry(
    *,
    dsn: str,
    environment: str,
    release: str | None = None,
    traces_sample_rate: float = 0.0,
    **options: Any,
) -> None:
    """``options`` go to ``sentry_sdk.init`` as they are (the tests pass a fake transport)."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or git_release(),
        traces_sample_rate=traces_sample_rate,
        before_send=before_send,  # type: ignore[arg-type]
        **options,
    )
