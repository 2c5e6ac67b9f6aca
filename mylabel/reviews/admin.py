"""Reviews in the admin. Criteria are data the label edits here. Reviews are read-only: they
change through the services (moderation in the label's queue at /moderation/reviews/), which
keep the profiles' ratings, the cached summaries and the moderation trail right; deleting one
goes through ``services.delete_review`` for the same reason."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from mylabel.core.admin import BoundedDateChangeList
from mylabel.reviews import cache, services
from mylabel.reviews.models import Criterion, CriterionRating, ModerationEvent, Report, Review


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "applies_to", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("applies_to", "is_active")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("professions",)

    # Every summary lists the criteria: a change here forgets them all once it commits.
    def save_model(
        self, request: HttpRequest, obj: Criterion, form: ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        cache.invalidate_all_on_commit()

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        cache.invalidate_all_on_commit()

    def delete_model(self, request: HttpRequest, obj: Criterion) -> None:
        super().delete_model(request, obj)
        cache.invalidate_all_on_commit()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Criterion]) -> None:
        super().delete_queryset(request, queryset)
        cache.invalidate_all_on_commit()


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CriterionRatingInline(ReadOnlyInline):
    model = CriterionRating
    fields = ("criterion", "rating")
    readonly_fields = fields


class ReportInline(ReadOnlyInline):
    model = Report
    fields = ("reporter", "reason", "details", "created_at", "resolved_at")
    readonly_fields = fields


class ModerationEventInline(ReadOnlyInline):
    model = ModerationEvent
    fields = ("action", "moderator", "reason", "created_at")
    readonly_fields = fields


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "direction",
        "artist",
        "associate",
        "rating",
        "verified",
        "published_at",
        "moderation",
        "sentiment_score",
        "contradicts_rating",
        "created_at",
    )
    list_filter = ("direction", "moderation", "verified", "sentiment", "contradicts_rating")
    search_fields = ("text", "reply", "artist__stage_name", "associate__display_name")
    list_select_related = ("artist", "associate")
    date_hierarchy = "created_at"
    inlines = [CriterionRatingInline, ReportInline, ModerationEventInline]

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return BoundedDateChangeList

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Review) -> None:
        services.delete_review(review=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        for review in queryset:
            services.delete_review(review=review)
