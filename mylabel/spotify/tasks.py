"""Background work of the Spotify app (Django's tasks framework)."""

from django.tasks import task


@task
def fetch_spotify_artist(artist_pk: int) -> str:
    """Fetch one profile's Spotify data if due (enqueued after linking, and for retries)."""
    from mylabel.spotify import services  # services enqueue this task: import at run time

    return services.refresh_spotify_artist(artist_pk=artist_pk).value


@task
def refresh_spotify_artists(limit: int = 100) -> dict[str, int]:
    """Refresh the links whose data is stale or whose retry is due, in one batch."""
    from mylabel.spotify import services

    outcomes = services.refresh_due_spotify_artists(limit=limit)
    return {outcome.value: count for outcome, count in outcomes.items()}
