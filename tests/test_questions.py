"""The understanding layer reads managers' own phrasings: accuracy over a corpus, and safety."""

from __future__ import annotations

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
    rows = [m for lang in LANGUAGE_CORPORA for m, _, _ in corpus(LANGUAGE_CORPORA[lang])]
    understand(rows[0])  # build the word lists once
    start = time.perf_counter()
    for message in rows:
        understand(message)
    per_message = (time.perf_counter() - start) / len(rows)
    print(f"{per_message * 1000:.2f} ms per message over {len(rows)}")
