from django.db import models
from django.utils.translation import gettext_lazy as _


class Genre(models.Model):
    """Reference data shared by every profile kind; seeded by a data migration, edited in admin."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("genre")
        verbose_name_plural = _("genres")

    def __str__(self) -> str:
        return self.name
