from django.contrib import admin

from mylabel.portfolio.models import PortfolioItem


@admin.register(PortfolioItem)
class PortfolioItemAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "profile_kind", "kind", "position", "created_at")
    list_filter = ("profile_kind", "kind")
    search_fields = ("title", "owner__email")
    raw_id_fields = ("owner",)
