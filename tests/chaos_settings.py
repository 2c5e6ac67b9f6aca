"""Production settings for the servers of the degradation checks (tests/chaos_proxy.py), except
for the static files: the hashed copies exist only after a deployment's collectstatic, which the
failure behaviour does not depend on."""

from config.settings import *  # noqa: F403
from config.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
