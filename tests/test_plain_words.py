"""Managers read plain words: no analyst jargon in the answers they use every day."""

from __future__ import annotations

import re

from test_conversation import ask, plain, upload

from bot.conversation import Conversation
from bot.replies import Photo
from segmentation.sample import purchase_log_csv, sample_csv

#: Words that belong to the chart of the choice (/plot k), not to a manager's answers.
JARGON = re.compile(
    r"silhouette|projection|\bpp\b|\bk\s*=|\bk chart\b|davies|calinski|centroid|standardi[sz]ed"
    r"|share of the row|score 0–1|\bcluster(?:s|ing)?\b|variance|\bz-?score",
    re.IGNORECASE,
)

#: The answers a manager reads every day.
QUESTIONS = (
    "/segments",
    "/segment 1",
    "/segment 2",
    "/whois 42",
    "/target",
    "/target grow",
    "/why",
    "how many women in segment 2?",
    "average income per segment",
    "who are my best customers?",
    "what does spending score mean?",
)


def jargon_in(text: str) -> list[str]:
    """Every analyst word in ``text``."""
    return JARGON.findall(text)


def test_the_word_list_catches_what_it_should() -> None:
    found = jargon_in("5 segments (silhouette 0.43); +3 pp; Projection 1; k=5; the k chart")
    assert len(found) == 5
    assert jargon_in("5 segments: the clearest separation; 6 would split a group in two.") == []


async def test_daily_answers_carry_no_analyst_words(conv: Conversation) -> None:
    overview = await upload(conv, sample_csv())
    caption = next(r for r in overview if isinstance(r, Photo))
    assert jargon_in(plain([caption])) == []
    for question in QUESTIONS:
        text = plain(await ask(conv, question))
        assert jargon_in(text) == [], (question, text)
    # The chart of the choice keeps the measures for whoever wants to check them.
    assert jargon_in(plain(await ask(conv, "/plot k")))


async def test_purchase_log_answers_carry_no_analyst_words(conv: Conversation) -> None:
    overview = await upload(conv, purchase_log_csv(), "purchases.csv")
    caption = next(r for r in overview if isinstance(r, Photo))
    assert jargon_in(plain([caption])) == []
    for question in ("/segments", "/segment 1", "/target", "/why", "top 5 customers"):
        text = plain(await ask(conv, question))
        assert jargon_in(text) == [], (question, text)


async def test_compare_speaks_of_customers_not_percentage_points(conv: Conversation) -> None:
    await upload(conv, sample_csv())
    await upload(conv, sample_csv(seed=11), "next.csv")
    text = plain(await ask(conv, "/compare"))
    assert "Sizes then → now" in text
    assert jargon_in(text) == [], text
