from django.contrib import admin

from mylabel.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Support can see and revoke tokens; keys are stored only as digests, so never shown."""

    list_display = ["name", "user", "key_hint", "created_at", "last_used_at", "expires_at"]
    list_select_related = ["user"]
    search_fields = ["name", "user__email", "key_hint"]
    readonly_fields = ["key_hint", "created_at", "last_used_at"]
    raw_id_fields = ["user"]
