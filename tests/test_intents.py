"""Plain English maps to the same commands, deterministically."""

from __future__ import annotations

import pytest

from bot.intents import Intent, match_intent

CASES = [
    ("which segment should we target?", "target", ""),
    ("Which segment should we target", "target", ""),
    ("who should we focus on?", "target", ""),
    ("what do you recommend", "target", ""),
    ("best segment", "target", ""),
    ("who is 42", "whois", "42"),
    ("Who is customer 0042?", "whois", "0042"),
    ("who's 17", "whois", "17"),
    ("whois ABC-12", "whois", "ABC-12"),
    ("customer 17", "whois", "17"),
    ("find customer C-0042", "whois", "C-0042"),
    ("what segment is customer 42 in?", "whois", "42"),
    ("show me the plot", "plot", "scatter"),
    ("show me the chart", "plot", "scatter"),
    ("show the k chart", "plot", "k"),
    ("elbow chart please", "plot", "k"),
    ("profile plot", "plot", "profile"),
    ("show me the profile", "plot", "profile"),
    ("segment profiles", "plot", "profile"),
    ("how many segments?", "segments", ""),
    ("How many clusters are there", "segments", ""),
    ("what segments are there", "segments", ""),
    ("list the segments", "segments", ""),
    ("segments", "segments", ""),
    ("what is the average income?", "segments", ""),
    ("tell me about segment 3", "segment", "3"),
    ("segment 2", "segment", "2"),
    ("what is cluster #4", "segment", "4"),
    ("use 6 segments", "k", "6"),
    ("try four clusters", "k", "4"),
    ("choose k automatically", "k", "auto"),
    ("export", "export", ""),
    ("send me the csv", "export", ""),
    ("send me the customers who moved", "export", "moved"),
    ("give me an excel file", "export", "xlsx"),
    ("can I get a report for my boss?", "report", ""),
    ("something for my boss", "report", ""),
    ("as a pdf please", "report", ""),
    ("what changed?", "compare", ""),
    ("compare with last month", "compare", ""),
    ("my uploads", "datasets", ""),
    ("forget everything", "forget", ""),
    ("help", "help", ""),
    ("what can you do?", "help", ""),
    ("hello", "start", ""),
    ("thanks!", "thanks", ""),
    ("Thank you", "thanks", ""),
]


@pytest.mark.parametrize(("text", "command", "args"), CASES)
def test_questions_map_to_commands(text: str, command: str, args: str) -> None:
    assert match_intent(text) == Intent(command, args)


@pytest.mark.parametrize("text", ["", "   ", "blah blah", "the weather is nice", "42", "?"])
def test_anything_else_is_not_understood(text: str) -> None:
    assert match_intent(text) is None


def test_matching_is_deterministic() -> None:
    assert [match_intent(t) for t, _, _ in CASES] == [match_intent(t) for t, _, _ in CASES]
