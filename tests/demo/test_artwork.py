"""The generated sleeves and photos of the demo community (mylabel.demo.community.artwork)."""

import io
import random

from PIL import Image, ImageFont

from mylabel.demo import community
from mylabel.demo.community import PALETTES, artwork


def test_artwork_is_a_square_jpeg_of_the_asked_size():
    image = Image.open(io.BytesIO(artwork(random.Random(1), palette=PALETTES[0], size=320)))
    assert (image.format, image.size) == ("JPEG", (320, 320))


def test_artwork_is_the_same_for_the_same_seed_and_differs_between_seeds():
    def draw(seed: int) -> bytes:
        return artwork(random.Random(seed), palette=PALETTES[1], size=200, caption=("A", "B"))

    assert draw(7) == draw(7)
    assert len({draw(seed) for seed in range(6)}) == 6


def test_captions_fall_back_to_pillows_own_font_without_accents(monkeypatch):
    bundled_font = ImageFont.truetype

    def no_system_fonts(font, *args, **kwargs):
        # Pillow's own font is loaded from memory through truetype() too.
        if isinstance(font, str):
            raise OSError("cannot open resource")
        return bundled_font(font, *args, **kwargs)

    monkeypatch.setattr(ImageFont, "truetype", no_system_fonts)
    cover = artwork(random.Random(3), palette=PALETTES[2], size=240, caption=("Lume", "Città"))
    assert Image.open(io.BytesIO(cover)).size == (240, 240)
    assert community._ascii("Città di notte") == "Citta di notte"
