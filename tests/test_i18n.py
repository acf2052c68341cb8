"""Languages: which one a chat gets, catalogs complete and consistent, numbers per locale."""

from __future__ import annotations

import datetime as dt
import gettext
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import (
    LANGUAGES,
    _,
    catalog_dir,
    compile_catalogs,
    current_language,
    day,
    language,
    ngettext,
    normalise_language,
    number,
    share,
    translations,
)
from bot.text.format import CAPTION_LIMIT, MESSAGE_LIMIT

ROOT = Path(__file__).resolve().parent.parent
#: The functions that mark a text for translation, and which arguments are the texts.
KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None}


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("ru", "ru"),
        ("ru-RU", "ru"),
        ("pt-br", "pt_BR"),
        ("pt-BR", "pt_BR"),
        ("pt", "pt_BR"),
        ("es-419", "es"),
        ("es_MX", "es"),
        ("id", "id"),
        ("in", "id"),
        ("EN-gb", "en"),
        ("de", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_telegram_language_codes_map_onto_what_segbot_speaks(code, expected) -> None:
    assert normalise_language(code) == expected


def test_an_unknown_language_falls_back_to_the_configured_default() -> None:
    assert normalise_language("de", default="es") == "es"
    assert normalise_language("ru", default="es") == "ru"


def test_numbers_shares_and_dates_follow_the_language() -> None:
    when = dt.date(2026, 12, 3)
    with language("en"):
        assert (number(1234567.5, 1), share(0.184), day(when)) == (
            "1,234,567.5",
            "18%",
            "Dec 3, 2026",
        )
    with language("ru"):
        assert number(1234567.5, 1) == "1\xa0234\xa0567,5"
        assert share(0.184) == "18\xa0%"
        assert "2026" in day(when) and "дек" in day(when)
    with language("pt_BR"):
        assert number(1234.5, 1) == "1.234,5"
    assert current_language() == "en"  # the block restored the language


def _messages() -> dict[str, tuple[str, ...]]:
    """Every text marked for translation in the bot and the engine: msgid -> its forms."""
    found: dict[str, tuple[str, ...]] = {}
    for package in ("bot", "segmentation"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / package), keywords=KEYWORDS
        ):
            forms = (message,) if isinstance(message, str) else tuple(message)
            found[forms[0]] = forms
    return found


def _catalog(lang: str):
    po = catalog_dir() / lang / "LC_MESSAGES" / "segbot.po"
    with po.open("rb") as handle:
        return read_po(handle, locale=lang)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_bot_marks_texts_for_translation() -> None:
    assert len(_messages()) >= 10


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_catalog_translates_every_text_with_the_same_placeholders(lang) -> None:
    catalog = _catalog(lang)
    missing, mismatched = [], []
    for msgid, forms in _messages().items():
        entry = catalog.get(msgid)
        strings = (entry.string,) if entry and isinstance(entry.string, str) else ()
        if entry is not None and not strings:
            strings = tuple(entry.string)
        if entry is None or entry.fuzzy or not all(strings):
            missing.append(msgid)
            continue
        translated = (entry.string,) if isinstance(entry.string, str) else entry.string
        wanted = set().union(*(_fields(f) for f in forms))
        for text in translated:
            # a plural form may leave out {n} ("один покупатель"), nothing else
            if _fields(text) - wanted or (wanted - {"n"}) - _fields(text):
                mismatched.append((msgid, text))
    assert not missing, f"{lang} lacks {len(missing)} texts, e.g. {missing[:3]}"
    assert not mismatched, f"{lang} placeholders differ: {mismatched[:3]}"


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_a_catalog_has_no_texts_the_bot_no_longer_uses(lang) -> None:
    used = set(_messages())
    stale = [m.id for m in _catalog(lang) if m.id and _key(m.id) not in used]
    assert not stale, f"{lang} keeps {len(stale)} texts the bot no longer uses: {stale[:3]}"


def _key(msgid: str | tuple[str, ...]) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_rendered_fits_telegram(lang) -> None:
    filler = "x" * 60
    with language(lang):
        for msgid, forms in _messages().items():
            values = {name: filler for name in _fields(msgid) if name != "n"}
            rendered = (
                [ngettext(forms[0], forms[1], n, **values) for n in (1, 2, 5, 21, 1000)]
                if len(forms) > 1
                else [_(msgid, **values) if values else _(msgid)]
            )
            for text in rendered:
                assert len(text) <= MESSAGE_LIMIT, (lang, msgid)
                if "caption" in msgid.lower():
                    assert len(text) <= CAPTION_LIMIT, (lang, msgid)


def test_russian_counts_use_its_three_plural_forms() -> None:
    catalog = _catalog("ru")
    assert catalog.num_plurals == 3
    plural = [
        m for m in catalog if isinstance(m.id, tuple) and _fields(m.id[0]) <= {"n", "example"}
    ]
    assert plural, "no counted text in the Russian catalog"
    forms = plural[0].string
    singular, many = plural[0].id
    with language("ru"):
        rendered = {n: ngettext(singular, many, n, example="{example}") for n in (1, 3, 5, 21)}
    assert rendered[1].replace("1", "{n}", 1) == forms[0]
    assert rendered[3].replace("3", "{n}", 1) == forms[1]
    assert rendered[5].replace("5", "{n}", 1) == forms[2]
    assert rendered[21].replace("21", "{n}", 1) == forms[0]
    assert len({forms[0], forms[1], forms[2]}) >= 2


def test_compiled_catalogs_match_their_sources(tmp_path) -> None:
    for lang in LANGUAGES:
        if lang == "en":
            continue
        po = catalog_dir() / lang / "LC_MESSAGES" / "segbot.po"
        (tmp_path / lang / "LC_MESSAGES").mkdir(parents=True)
        (tmp_path / lang / "LC_MESSAGES" / "segbot.po").write_bytes(po.read_bytes())
    written = compile_catalogs(tmp_path)
    assert len(written) == len(LANGUAGES) - 1
    for mo in written:
        lang = mo.parent.parent.name
        with mo.open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        loaded = translations(lang)  # what the bot reads: the built .mo, or the .po compiled
        for message in _catalog(lang):
            if not message.id:
                continue
            if isinstance(message.id, tuple):
                for n, form in ((1, 0), (5, -1)):
                    wanted = message.string[form]
                    assert compiled.ngettext(*message.id, n) == wanted
                    assert loaded.ngettext(*message.id, n) == wanted
            else:
                assert compiled.gettext(message.id) == message.string
                assert loaded.gettext(message.id) == message.string


def test_the_engines_words_cross_into_a_worker_process_in_their_language() -> None:
    import pickle

    from bot.i18n import words

    with language("ru"):
        russian = words()
    again = pickle.loads(pickle.dumps(russian))
    assert again.language == "ru"
    assert again.ngettext("{n} segment", "{n} segments", 5) == "5 сегментов"
    assert again.number(1234.5, 1) == "1\xa0234,5"  # Russian digits outside a Russian context
    with language("es"):
        assert words()("Segments") == "Segmentos"
