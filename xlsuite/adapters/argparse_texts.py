"""argparse's own texts (用法、选项, its error messages) in another language, for xlsuite's parsers.

Relies on: ``argparse._`` and ``argparse.ngettext``, the gettext functions the module imports
under those names and looks up each time it words a text (usage prefix, group titles, ``-h``'s
help, every error). gettext offers no public way to force a language for one module, so
``translated`` swaps the two while a parser works and puts them back after (xlsuite's CLI runs
its parsers on one thread). ``tests/test_adapters.py`` checks both names are still there and
that argparse still words its texts with the message ids xlsuite translates.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator, Mapping


@contextlib.contextmanager
def translated(texts: Mapping[str, str], plurals: Mapping[str, str]) -> Iterator[None]:
    """argparse's texts looked up in ``texts`` (message id → text) and its plural texts in
    ``plurals`` (singular id → text), anything else as gettext gives it."""
    saved = argparse._, argparse.ngettext
    argparse._ = lambda text: texts.get(text, saved[0](text))
    argparse.ngettext = lambda one, many, n: plurals.get(one, saved[1](one, many, n))
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved
