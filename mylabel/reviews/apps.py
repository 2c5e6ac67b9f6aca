from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "mylabel.reviews"
    verbose_name = _("Reviews")

    def ready(self) -> None:
        # Subscribers of the reviews app's own domain signals (DESIGN.md §3: side effects after
        # commit, connected here rather than called from the services).
        from mylabel.core.page_cache import forget_public_pages_on_change
        from mylabel.reviews.models import CriterionRating, Review
        from mylabel.reviews.sentiment import enqueue_sentiment_scoring
        from mylabel.reviews.signals import review_submitted

        # A profile's reviews, their ratings and the answers to them (public pages).
        forget_public_pages_on_change(Review, CriterionRating)
        review_submitted.connect(
            enqueue_sentiment_scoring, dispatch_uid="reviews.score_review_sentiment"
        )
