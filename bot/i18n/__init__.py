"""The languages segbot speaks: message catalogs, the chat's language, numbers and dates.

Texts are written in English and looked up in gettext catalogs
(``bot/i18n/catalogs/<language>/LC_MESSAGES/segbot.po``, compiled to ``.mo`` when the package
is built or installed). The language a text is rendered in is a context variable, set once per
update from the chat's ``/language`` choice or the asking user's ``language_code``; work handed
to a thread with :func:`asyncio.to_thread` keeps it, as the context is copied.

    _("Segment {number}", number=3)           -> "Сегмент 3" in Russian
    ngettext("{n} customer", "{n} customers", n) -> the plural form the language asks for
"""

from bot.i18n.catalog import LANGUAGES, catalog_dir, compile_catalogs, translations
from bot.i18n.context import (
    N_,
    _,
    current_language,
    language,
    ngettext,
    use_language,
)
from bot.i18n.engine import chart_key, persona, persona_name, words
from bot.i18n.formats import day, moment, number, share
from bot.i18n.locales import NAMES, language_name, normalise_language

__all__ = [
    "LANGUAGES",
    "NAMES",
    "N_",
    "_",
    "catalog_dir",
    "chart_key",
    "compile_catalogs",
    "current_language",
    "day",
    "language",
    "language_name",
    "moment",
    "ngettext",
    "normalise_language",
    "number",
    "persona",
    "persona_name",
    "share",
    "translations",
    "use_language",
    "words",
]
