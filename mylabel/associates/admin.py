from django.contrib import admin

from mylabel.associates.models import Associate, Profession


@admin.register(Profession)
class ProfessionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Associate)
class AssociateAdmin(admin.ModelAdmin):
    list_display = ("display_name", "headline", "city", "country", "works_remotely", "created_at")
    list_filter = ("works_remotely", "professions")
    search_fields = ("display_name", "headline", "slug", "user__email")
    raw_id_fields = ("user",)
    filter_horizontal = ("professions", "genres")
    readonly_fields = ("created_at", "updated_at")
    exclude = ("search_text",)
