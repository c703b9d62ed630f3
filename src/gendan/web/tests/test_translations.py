"""Simplified Chinese is complete, and the compiled catalogue matches its source."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

PO = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_string_is_translated():
    catalogue = polib.pofile(str(PO))

    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


def test_compiled_catalogue_matches_the_source():
    source = {
        (entry.msgctxt, entry.msgid): entry.msgstr
        for entry in polib.pofile(str(PO)).translated_entries()
    }
    compiled = polib.mofile(str(PO.with_suffix(".mo")))

    assert {(e.msgctxt, e.msgid): e.msgstr for e in compiled if e.msgid} == source


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_no_string_in_the_code_is_missing_from_the_catalogue(tmp_path):
    """Extract the strings afresh (as `make messages` does) and compare with the catalogue."""
    package = PO.parents[3]
    copy = tmp_path / "gendan"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    command = [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans"]
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [*command, "--no-location", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env=environment,
    )
    fresh = polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))

    # A new string close to a known one comes out fuzzy (msgmerge's guess), and a fuzzy entry
    # is left out of the compiled catalogue: to the user it is as untranslated as an empty one.
    missing = fresh.untranslated_entries() + fresh.fuzzy_entries()
    assert [entry.msgid for entry in missing] == []
