"""The understanding layer reads managers' own phrasings: accuracy over a corpus, and safety."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from bot.i18n import LANGUAGES, language
from bot.intents import Intent
from bot.questions import (
    DESTRUCTIVE,
    DID_YOU_MEAN,
    MAX_QUESTION,
    build_vocabulary,
    correct_typos,
    pack,
    understand,
    unpack,
)

CORPUS = Path(__file__).parent / "data" / "questions.tsv"
#: The share of the corpus that must be understood exactly as expected.
REQUIRED_ACCURACY = 0.95


def corpus(path: Path = CORPUS) -> list[tuple[str, str, str]]:
    """(message, expected intent, expected args); intent ``-`` means nothing understood."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        message, intent, args = [*line.split("\t"), "", ""][:3]
        rows.append((message, intent, args))
    return rows


def outcome(message: str) -> tuple[str, str]:
    """What ``understand`` makes of a message, in the corpus's terms."""
    found = understand(message)
    return ("-", "") if found is None else (found.command, found.args)


def test_the_corpus_is_large_and_varied() -> None:
    rows = corpus()
    assert len(rows) >= 150
    assert len({m for m, _, _ in rows}) == len(rows), "a phrasing is listed twice"
    kinds = {intent for _, intent, _ in rows}
    assert {"count", "stat", "top", "whois", "why", "meaning", "report", "export_xlsx"} <= kinds
    assert sum(intent == "-" for _, intent, _ in rows) >= 15


def test_the_corpus_is_understood_accurately() -> None:
    rows = corpus()
    misses = [(m, (i, a), outcome(m)) for m, i, a in rows if outcome(m) != (i, a)]
    accuracy = 1 - len(misses) / len(rows)
    print(f"question accuracy: {accuracy:.1%} of {len(rows)} ({len(misses)} missed)")
    assert accuracy >= REQUIRED_ACCURACY, misses


@pytest.mark.parametrize(("message", "intent", "args"), corpus())
def test_no_phrasing_reaches_a_destructive_command_it_did_not_ask_for(
    message: str, intent: str, args: str
) -> None:
    got, _ = outcome(message)
    if got in DESTRUCTIVE:
        assert got == intent, f"{message!r} would run /{got}"


def test_a_corrected_typo_offers_a_change_but_never_makes_one() -> None:
    assert understand("use 6 segmnets") == Intent(DID_YOU_MEAN, "k 6")
    assert understand("use 6 segments") == Intent("k", "6")


def test_common_words_are_not_corrected_into_keywords() -> None:
    for text in ("send me the file", "wipe your tears", "what is meant by that"):
        assert correct_typos(text, build_vocabulary({}, (), {}, {}, None, None)) == (text, False)


def test_questions_use_the_chats_own_names() -> None:
    vocabulary = build_vocabulary(
        labels={"visits": "Visits per month", "tier": "Loyalty tier"},
        numeric=("visits", "income"),
        attribute_levels={"tier": ("Gold", "Silver")},
        segment_names={1: "Affluent big spenders", 2: "Careful savers"},
        spend="visits",
        income="income",
    )
    assert understand("how many gold in careful savers?", vocabulary) == Intent(
        "count", "segment=2;where=tier:Gold"
    )
    assert understand("average visits per month in the affluent big spenders", vocabulary) == (
        Intent("stat", "stat=mean;column=visits;segment=1")
    )
    assert understand("best customers", vocabulary) == Intent(
        "top", "n=10;column=visits;order=high"
    )
    assert understand("average vists", vocabulary) == Intent("stat", "stat=mean;column=visits")


def test_question_arguments_read_back() -> None:
    args = pack(n=5, column="Annual Income (k$)", order="high", segment="")
    assert unpack(args) == {"n": "5", "column": "Annual Income (k$)", "order": "high"}


def test_long_messages_are_not_read_as_questions_and_take_no_time() -> None:
    import time

    understand("warm up")
    pasted = ("how many wommen in segmnet 2 " * 200)[:4096]
    started = time.perf_counter()
    assert understand(pasted) is None
    assert time.perf_counter() - started < 0.05
    longest = "how many women in segment 2 " + "please " * 40
    assert understand(longest[:MAX_QUESTION]) is not None


# --- other languages --------------------------------------------------------------------------

#: A corpus per language segbot speaks besides English.
LANGUAGE_CORPORA = {lang: CORPUS.with_name(f"questions_{lang}.tsv") for lang in LANGUAGES[1:]}
#: What a manager asks most, in every language.
CORE_INTENTS = {"target", "segments", "whois", "count", "top", "stat", "compare", "report", "help"}


@pytest.mark.parametrize("lang", sorted(LANGUAGE_CORPORA))
def test_each_language_has_a_varied_corpus(lang: str) -> None:
    rows = corpus(LANGUAGE_CORPORA[lang])
    assert len(rows) >= 45
    assert len({m for m, _, _ in rows}) == len(rows), "a phrasing is listed twice"
    assert {intent for _, intent, _ in rows} >= CORE_INTENTS
    assert sum(intent == "-" for _, intent, _ in rows) >= 8


@pytest.mark.parametrize("lang", sorted(LANGUAGE_CORPORA))
def test_each_language_is_understood_accurately_whatever_the_chats_language(lang: str) -> None:
    rows = corpus(LANGUAGE_CORPORA[lang])
    for chat_language in ("en", lang):
        with language(chat_language):
            misses = [(m, (i, a), outcome(m)) for m, i, a in rows if outcome(m) != (i, a)]
        accuracy = 1 - len(misses) / len(rows)
        print(f"{lang} question accuracy: {accuracy:.1%} of {len(rows)} ({len(misses)} missed)")
        assert accuracy >= REQUIRED_ACCURACY, misses


@pytest.mark.parametrize("lang", sorted(LANGUAGE_CORPORA))
def test_no_phrasing_in_another_language_changes_or_deletes_anything(lang: str) -> None:
    for message, intent, _ in corpus(LANGUAGE_CORPORA[lang]):
        got, args = outcome(message)
        assert got not in DESTRUCTIVE and not (
            got == DID_YOU_MEAN and args.split()[0] in DESTRUCTIVE
        )
        if intent == "-":
            assert got == "-", f"{message!r} was read as /{got} {args}"


def test_questions_in_other_languages_are_read_quickly() -> None:
    """Another language costs little more than English: a median within twice English's."""
    english = [m for m, _, _ in corpus()]
    rows = [m for lang in LANGUAGE_CORPORA for m, _, _ in corpus(LANGUAGE_CORPORA[lang])]
    understand(english[0])
    understand(rows[0])  # build the word lists once

    def median_ms(messages: list[str]) -> float:
        times = []
        for message in messages:
            start = time.perf_counter()
            understand(message)
            times.append(time.perf_counter() - start)
        return sorted(times)[len(times) // 2] * 1000

    english_ms, other_ms = median_ms(english), median_ms(rows)
    print(f"{other_ms:.3f} ms per message over {len(rows)} (English {english_ms:.3f} ms)")
    assert other_ms < 2 * english_ms + 0.02


#: One question in every language: (what it asks for, its English, Russian, Spanish, Portuguese
#: and Indonesian phrasings).
SAME_QUESTION = [
    (
        ("target", ""),
        "which segment should we target?",
        "какой сегмент выбрать?",
        "¿a qué segmento apuntamos?",
        "qual segmento devemos focar?",
        "segmen mana yang harus ditarget?",
    ),
    (
        ("whois", "42"),
        "who is customer 42",
        "кто такой 42",
        "quién es el cliente 42",
        "quem é o cliente 42",
        "siapa pelanggan 42",
    ),
    (
        ("count", "segment=2;where=gender:Female"),
        "how many women in segment 2?",
        "сколько женщин в сегменте 2",
        "¿cuántas mujeres hay en el segmento 2?",
        "quantas mulheres no segmento 2?",
        "berapa perempuan di segmen 2?",
    ),
    (
        ("top", "n=10;column=score;order=high"),
        "top 10 customers",
        "топ 10 покупателей",
        "los 10 mejores clientes",
        "os dez melhores clientes",
        "sepuluh pelanggan terbaik",
    ),
    (
        ("top", "n=5;column=score;order=high"),
        "best five customers",
        "пять лучших покупателей",
        "los cinco mejores clientes",
        "os cinco melhores clientes",
        "lima pelanggan terbaik",
    ),
    (
        ("segments", ""),
        "list the segments",
        "покажи сегменты",
        "muéstrame los segmentos",
        "mostre os segmentos",
        "tampilkan segmen",
    ),
    (
        ("compare", ""),
        "compare with last month",
        "сравни с прошлым месяцем",
        "compara con el mes pasado",
        "compara com o mês passado",
        "bandingkan dengan bulan lalu",
    ),
    (
        ("export", "segment 2"),
        "export segment 2",
        "выгрузи сегмент 2",
        "exporta el segmento 2",
        "exporta o segmento 2",
        "ekspor segmen 2",
    ),
    (("report", ""), "report", "отчёт", "informe", "relatório", "laporan"),
    (("help", ""), "help", "помощь", "ayuda", "ajuda", "bantuan"),
]


@pytest.mark.parametrize(("asks", "english", "ru", "es", "pt_br", "id_"), SAME_QUESTION)
def test_one_question_is_understood_alike_in_every_language(
    asks: tuple[str, str], english: str, ru: str, es: str, pt_br: str, id_: str
) -> None:
    for message in (english, ru, es, pt_br, id_):
        for chat_language in LANGUAGES:
            with language(chat_language):
                assert outcome(message) == asks, (message, chat_language)


def test_number_words_of_every_language_count() -> None:
    from bot.intents import NUMBER_WORDS_BY_LANGUAGE

    assert set(NUMBER_WORDS_BY_LANGUAGE) == set(LANGUAGES)
    for words in NUMBER_WORDS_BY_LANGUAGE.values():
        assert set(range(1, 11)) <= set(words.values())
    for top_three in (
        "топ три покупателя",
        "top tres clientes",
        "top três clientes",
        "top tiga pelanggan",
    ):
        assert outcome(top_three) == ("top", "n=3;column=score;order=high"), top_three


@pytest.mark.parametrize(
    "message",
    [
        "удали сегмент 2",
        "удалить данные покупателей сегмента 2",
        "забудь клиента 42",
        "borra el segmento 2",
        "elimina los datos del cliente 42",
        "apaga o segmento 2",
        "excluir os clientes do segmento 2",
        "hapus segmen 2",
        "hapus data pelanggan 42",
        "сколько покупателей удалить",
    ],
)
def test_a_phrasing_that_speaks_of_deleting_is_never_read_as_a_question(message: str) -> None:
    assert understand(message) is None


def test_english_words_among_another_languages_offer_a_change_but_never_make_one() -> None:
    assert understand("use 6 segmentos") == Intent(DID_YOU_MEAN, "k 6")
    assert understand("usa 6 segmentos") is None


def test_no_word_list_leads_to_a_command_that_changes_or_deletes_data() -> None:
    from bot.phrasebook import LANGUAGES as READ
    from bot.phrasebook import _language

    wanted = re.compile(r"\b(?:forget|delete|erase|wipe|remove|clear|use|k|features|columns)\b")
    for lang in READ:
        table = _language(lang)
        for english in (*table.words.values(), *table.stems.values(), *table.said.values()):
            assert not wanted.search(english.replace("\x02", " ")), (lang, english)
