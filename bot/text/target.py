"""How the bot explains the targeting ranking (/target): which segment first, and why.

Pure functions returning Telegram HTML; every value that came from a file is escaped here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.text.format import esc, segment_ref, split_message
from segmentation import Segmentation, TargetRank

_KIND_WORDS = {
    "grow": "room to grow",
    "retain": "keep them spending",
    "reactivate": "win them back",
    "monitor": "keep an eye on them",
}

#: Driver -> (words when high, words when low); drivers are 0..1 positions.
_DRIVER_WORDS: dict[str, tuple[str, str]] = {
    "means": ("high income", "modest income"),
    "spend": ("already spend a lot", "spend little so far"),
    "size": ("a large group", "a small group"),
}


#: Column names that stand for spending or for the means to spend (as the ranking reads them).
_SPEND_COLUMNS = re.compile(r"spend|purchas|mnt|amount|sales|revenue|monetary", re.IGNORECASE)
_MEANS_COLUMNS = re.compile(r"income|salary|wage|earning|credit.?limit", re.IGNORECASE)


def _has(seg: Segmentation, column: str) -> bool:
    """Whether ``seg`` knows ``column`` (as a feature or in its population)."""
    return column in seg.population or column in seg.features


def _measured(seg: Segmentation | None, words: re.Pattern[str], canonical: str) -> bool:
    """Whether ``seg`` has a column the words speak of (no segmentation: assume so)."""
    if seg is None:
        return True
    if _has(seg, canonical):
        return True
    columns = [*seg.population, *seg.features]
    return any(words.search(f"{c} {seg.labels.get(c, '')}") for c in columns)


def target_reason(rank: TargetRank, seg: Segmentation | None = None) -> str:
    """Return the reason line for one ranked segment (plain words).

    Words about spending or income are only said when the data has such a column; without
    one the ranking falls back on other columns, and "spend little" would be a guess.
    """
    reason = _KIND_WORDS.get(rank.kind, rank.kind)
    # "Keep an eye on them" means spending and means are near the middle: say only the size.
    middling = rank.kind == "monitor"
    measured = {
        "spend": _measured(seg, _SPEND_COLUMNS, "score") and not middling,
        "means": _measured(seg, _MEANS_COLUMNS, "income") and not middling,
        "size": True,
    }
    words: list[str] = []
    for name, value in rank.drivers.items():
        high, low = _DRIVER_WORDS.get(name, ("", ""))
        if name == "means" and seg is not None and not _has(seg, "income"):
            # The means come from a salary or credit-limit column, not an income.
            high, low = "well-off", "modest means"
        if not measured.get(name, True):
            continue
        if value >= 0.6 and high:
            words.append(esc(high))
        elif value <= 0.35 and low:
            words.append(esc(low))
    if words:
        reason += ": " + ", ".join(words)
    return reason


def targets(seg: Segmentation, ranks: Sequence[TargetRank]) -> list[str]:
    """Answer /target: the ranking, top pick first, with reasons."""
    ordered = sorted(ranks, key=lambda r: r.rank)
    if not ordered:
        return ["I could not rank the segments for targeting."]
    top = ordered[0]
    lines = [
        f"🎯 Target first: {segment_ref(seg, top.number)}",
        f"Why: {target_reason(top, seg)}.",
    ]
    if any(s.number == top.number for s in seg.segments):
        lines.append(f"Action: {esc(seg.segment(top.number).persona.action)}")
    lines += ["", "<b>Full ranking</b> (score 0–1, higher first)"]
    for rank in ordered:
        ref = segment_ref(seg, rank.number)
        lines.append(f"{rank.rank}. S{ref[1:]}")
        lines.append(f"    {target_reason(rank, seg)} · {rank.score:.2f}")
    return split_message(lines)
