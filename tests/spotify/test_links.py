"""What an artist may paste as their Spotify link, and the message for everything else
(issue 9, bad input: malformed or non-artist Spotify URLs)."""

import pytest
from django.core.exceptions import ValidationError

from mylabel.spotify.links import canonical_artist_url, parse_artist_id
from tests.spotify.conftest import SPOTIFY_ID

ARTIST_ID = SPOTIFY_ID


@pytest.mark.parametrize(
    "pasted",
    [
        f"https://open.spotify.com/artist/{ARTIST_ID}",
        f"https://open.spotify.com/artist/{ARTIST_ID}/",
        f"https://open.spotify.com/artist/{ARTIST_ID}?si=Xk3-abc_DEF",
        f"https://open.spotify.com/intl-it/artist/{ARTIST_ID}?si=abc",
        f"https://open.spotify.com/intl-pt-br/artist/{ARTIST_ID}",
        f"http://open.spotify.com/artist/{ARTIST_ID}",
        f"open.spotify.com/artist/{ARTIST_ID}",
        f"  https://OPEN.SPOTIFY.COM/artist/{ARTIST_ID}#top  ",
        f"spotify:artist:{ARTIST_ID}",
        f"Spotify:Artist:{ARTIST_ID}",
    ],
)
def test_artist_links_in_every_shape_give_the_artist_id(pasted: str) -> None:
    assert parse_artist_id(pasted) == ARTIST_ID
    assert canonical_artist_url(pasted) == f"https://open.spotify.com/artist/{ARTIST_ID}"


@pytest.mark.parametrize(
    ("pasted", "message"),
    [
        (
            "https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy",
            "That is a Spotify link to an album; paste the artist's page link instead",
        ),
        (
            "https://open.spotify.com/intl-it/track/4uLU6hMCjMI75M1A2tKUQC?si=1",
            "That is a Spotify link to a song; paste the artist's page link instead",
        ),
        (
            "https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M",
            "That is a Spotify link to a playlist",
        ),
        ("spotify:album:4aawyAB9vmqN3uQ7FjRGTy", "That is a Spotify link to an album"),
        ("https://open.spotify.com/show/4rOoJ6Egrf8K2IrywzwOMk", "a podcast"),
        ("https://open.spotify.com/user/spotify", "a user profile"),
        ("https://open.spotify.com/", "That is not a link to an artist on Spotify."),
        ("https://open.spotify.com/concert/abc", "That is not a link to an artist on Spotify."),
        ("https://open.spotify.com/artist/", "That Spotify artist link is incomplete"),
        ("https://open.spotify.com/artist/1dfeR4HaWD", "That Spotify artist link is incomplete"),
        (
            f"https://open.spotify.com/artist/{ARTIST_ID}/discography",
            "That Spotify artist link is incomplete",
        ),
        ("spotify:artist:not-an-id!", "That Spotify artist link is incomplete"),
        ("https://spotify.com/artist/1dfeR4HaWDbWqFHLkxsg1d", "Paste a Spotify artist link"),
        ("https://open.spotify.com.evil.example/artist/x", "Paste a Spotify artist link"),
        ("ftp://open.spotify.com/artist/1dfeR4HaWDbWqFHLkxsg1d", "Paste a Spotify artist link"),
        ("Nina Vale", "Paste a Spotify artist link"),
    ],
)
def test_anything_but_an_artist_link_is_refused_with_what_it_is(pasted: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_artist_id(pasted)

    assert message in error.value.messages[0]


def test_an_empty_link_is_stored_empty() -> None:
    assert canonical_artist_url("  ") == ""
