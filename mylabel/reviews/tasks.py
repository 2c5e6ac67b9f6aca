"""Background work of the reviews app (Django's tasks framework)."""

from django.tasks import task

from mylabel.reviews.models import Review


@task
def publish_reviews() -> int:
    """Publish the blind reviews whose window has closed; returns how many. Idempotent, so
    running it more often than needed is harmless."""
    from mylabel.reviews import services  # services schedule this task: import at run time

    return services.publish_due_reviews()


def schedule_publication(review: Review) -> None:
    """Wake the worker when ``review``'s window closes, to publish it if still blind (called
    after the commit of ``submit_review``). A backend that cannot defer tasks (the embedded
    in-process one) has no worker to wake; there, ``manage.py publish_due_reviews`` does the
    same job when run."""
    if review.published_at is not None:
        return
    if not publish_reviews.get_backend().supports_defer:
        return
    publish_reviews.using(run_after=review.window_closes_at).enqueue()
