from django.db import models
from django.utils.text import slugify


def unique_slug(
    model: type[models.Model], text: str, *, fallback: str, max_length: int = 120
) -> str:
    """A slug of ``text`` not yet used by ``model``: "nina-vale", else "nina-vale-2", … ."""
    base = slugify(text)[:max_length].strip("-") or fallback
    taken = set(model._default_manager.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"
