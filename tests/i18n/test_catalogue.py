"""The Italian catalogue is complete (issue 11 point 1): every translatable string of the source
is in it, translated, not fuzzy, with the msgid's placeholders, and the committed compiled
catalogue is the one the .po file gives. The .mo file is committed so that a fresh machine needs
no gettext tools to serve Italian; this test keeps the two from drifting apart."""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "it" / "LC_MESSAGES"
PO = CATALOGUE / "django.po"
MO = CATALOGUE / "django.mo"
# %(name)s, %s, %d, %%; {name}, {0}; HTML tags and entities.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[sdif%]|\{[^{}]*\}|</?[a-zA-Z][^>]*>|&\w+;")


def key(entry: polib.POEntry | polib.MOEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"
    assert catalogue.metadata["Language"] == "it"


def test_translations_keep_the_placeholders_of_their_source(catalogue):
    def placeholders(text: str) -> list[str]:
        return sorted(PLACEHOLDER.findall(text))

    wrong = []
    for entry in catalogue.translated_entries():
        pairs = (
            [(entry.msgid, entry.msgstr_plural[0]), (entry.msgid_plural, entry.msgstr_plural[1])]
            if entry.msgid_plural
            else [(entry.msgid, entry.msgstr)]
        )
        wrong += [source for source, text in pairs if placeholders(source) != placeholders(text)]
    assert not wrong, f"placeholders differ: {wrong[:10]}"


def test_the_committed_compiled_catalogue_matches_the_po_file(catalogue):
    compiled = {key(entry): entry for entry in polib.mofile(str(MO))}
    written = {key(entry): entry for entry in catalogue.translated_entries()}
    assert compiled.keys() - {("", "", "")} == written.keys(), "run msgfmt (see README)"
    stale = [
        k[1]
        for k, entry in written.items()
        if (entry.msgstr_plural or entry.msgstr)
        != (compiled[k].msgstr_plural or compiled[k].msgstr)
    ]
    assert not stale, f"compiled catalogue out of date for: {stale[:10]}"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (xgettext)")
def test_every_translatable_string_of_the_source_is_in_the_catalogue(
    catalogue, tmp_path, monkeypatch
):
    """makemessages over a copy of the source, into a scratch catalogue, then compare: a string
    wrapped for translation but missing from the committed catalogue would be shown in English
    to Italian users. (A copy because makemessages writes into any ``locale`` directory it finds
    beside the sources, which would be the committed one.)"""
    source = tmp_path / "source"
    for package in ("mylabel", "config"):
        shutil.copytree(
            settings.BASE_DIR / package,
            source / package,
            ignore=shutil.ignore_patterns("locale", "static", "__pycache__", "*.pyc"),
        )
    monkeypatch.chdir(source)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=["it"], verbosity=0)

    extracted = polib.pofile(str(tmp_path / "locale" / "it" / "LC_MESSAGES" / "django.po"))
    assert len(extracted) > 1000  # the extraction saw the whole project
    missing = {key(entry) for entry in extracted} - {key(entry) for entry in catalogue}
    assert not missing, f"not in {PO.relative_to(settings.BASE_DIR)}: {sorted(missing)[:10]}"
