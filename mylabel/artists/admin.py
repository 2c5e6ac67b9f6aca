from django.contrib import admin

from mylabel.artists.models import Artist, Release


class ReleaseInline(admin.TabularInline):
    model = Release
    extra = 0


@admin.register(Artist)
class ArtistAdmin(admin.ModelAdmin):
    list_display = ("stage_name", "slug", "city", "country", "is_on_roster", "created_at")
    list_filter = ("is_on_roster", "genres")
    search_fields = ("stage_name", "slug", "user__email")
    raw_id_fields = ("user",)
    filter_horizontal = ("genres",)
    inlines = [ReleaseInline]
    readonly_fields = ("created_at", "updated_at")
    exclude = ("search_text", "search_vector")
