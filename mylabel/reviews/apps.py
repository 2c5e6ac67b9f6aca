from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "mylabel.reviews"
    verbose_name = _("Reviews")

    def ready(self) -> None:
        # Subscribers of the reviews app's own domain signals (DESIGN.md §3: side effects after
        # commit, connected here rather than called from the services).
        from mylabel.reviews.sentiment import enqueue_sentiment_scoring
        from mylabel.reviews.signals import review_submitted

        review_submitted.connect(
            enqueue_sentiment_scoring, dispatch_uid="reviews.score_review_sentiment"
        )
