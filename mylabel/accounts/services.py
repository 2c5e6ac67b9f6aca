from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from mylabel.accounts.models import User
from mylabel.core.images import reencode_image


@transaction.atomic
def update_account_settings(
    *,
    user: User,
    display_name: str,
    time_zone: str,
    language: str,
    avatar: UploadedFile | None = None,
    remove_avatar: bool = False,
    share_read_receipts: bool | None = None,
) -> User:
    """Save the account's own preferences. ``avatar`` must already be validated
    (``validate_image_upload``); it is stored re-encoded, replacing the previous one.
    ``share_read_receipts`` None leaves the setting as it is."""
    user.display_name = display_name
    user.time_zone = time_zone
    user.language = language
    if share_read_receipts is not None:
        user.share_read_receipts = share_read_receipts
    old_avatar_name = user.avatar.name if user.avatar else ""
    if avatar is not None:
        user.avatar.save("avatar.jpg", reencode_image(avatar, max_side=512), save=False)
    elif remove_avatar:
        user.avatar = None
    user.full_clean(exclude=["password", "avatar"])
    user.save()
    if old_avatar_name and old_avatar_name != (user.avatar.name if user.avatar else ""):
        storage = user.avatar.storage
        transaction.on_commit(lambda: storage.delete(old_avatar_name))
    return user
