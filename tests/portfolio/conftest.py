from tests.profile_fixtures import (  # noqa: F401 - fixtures
    _profile_media_in_tmp,
    associate_client,
    marco,
    nina,
    owner_client,
    stranger_client,
)
