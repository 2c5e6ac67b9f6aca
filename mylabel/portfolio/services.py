"""Every change to portfolio items goes through here (CONVENTIONS.md "Layers")."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from mylabel.accounts.models import User
from mylabel.core.images import reencode_image
from mylabel.portfolio.embeds import embed_url
from mylabel.portfolio.models import PortfolioItem
from mylabel.portfolio.validation import validate_portfolio_upload


def _require_owner(item: PortfolioItem, user: User) -> None:
    if item.owner_id != user.pk:
        raise PermissionDenied(_("Only the owner can change this portfolio."))


@transaction.atomic
def add_portfolio_item(
    *,
    owner: User,
    profile_kind: str,
    kind: str,
    title: str,
    description: str = "",
    upload: UploadedFile | None = None,
    url: str = "",
) -> PortfolioItem:
    """Append an item to the end of the owner's portfolio for ``profile_kind``.

    A link item needs a YouTube, SoundCloud or Spotify ``url``; any other kind needs an
    ``upload``, which is checked by content here and stored re-encoded when it is an image.
    """
    item = PortfolioItem(
        owner=owner,
        profile_kind=profile_kind,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
    )
    if kind == PortfolioItem.Kind.LINK:
        if not url or embed_url(url) is None:
            raise ValidationError(
                {"url": _("Paste a YouTube, SoundCloud or Spotify link.")}, code="unsupported_link"
            )
        item.url = url.strip()
    else:
        if upload is None:
            raise ValidationError({"file": _("Choose a file to upload.")}, code="required")
        extension = validate_portfolio_upload(upload, kind)
        content = reencode_image(upload, max_side=2000) if kind == "image" else upload
        item.file.save(f"item.{extension}", ContentFile(content.read()), save=False)
    last = PortfolioItem.objects.for_profile(owner.pk, profile_kind).aggregate(Max("position"))
    item.position = (last["position__max"] or 0) + 1
    item.full_clean(exclude=["file"])
    item.save()
    return item


@transaction.atomic
def update_portfolio_item(
    *, item: PortfolioItem, by: User, title: str | None = None, description: str | None = None
) -> PortfolioItem:
    """Change the words shown with ``item``; None leaves a field as it is. The file or link
    stays: replacing it is a new item."""
    _require_owner(item, by)
    if title is not None:
        item.title = title.strip()
    if description is not None:
        item.description = description.strip()
    item.full_clean(exclude=["file"])
    item.save(update_fields=["title", "description"])
    return item


@transaction.atomic
def move_portfolio_item(*, item: PortfolioItem, by: User, offset: int) -> None:
    """Move ``item`` ``offset`` places (-1 up, +1 down) within its portfolio; at either end it
    stays where it is."""
    _require_owner(item, by)
    items = list(
        PortfolioItem.objects.for_profile(item.owner_id, item.profile_kind).select_for_update()
    )
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + offset
    if not 0 <= target < len(items):
        return
    items.insert(target, items.pop(index))
    # Renumbering the whole (short) list also mends duplicate positions left by old data.
    for position, other in enumerate(items, start=1):
        other.position = position
    PortfolioItem.objects.bulk_update(items, ["position"])


@transaction.atomic
def delete_portfolio_item(*, item: PortfolioItem, by: User) -> None:
    _require_owner(item, by)
    name = item.file.name if item.file else ""
    storage = item.file.storage
    item.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
