"""Columns and values as people read them: prose labels, units, numbers, whole percentages."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

from segmentation.words import N_

#: Labels of the canonical fields, the engine's own words (a reader sees them translated).
_SHORT_LABELS = {"income": N_("income"), "score": N_("spending score"), "age": N_("age")}
_PREFIXES = {"mnt": "spend on", "num": "number of", "amt": "amount of", "no": "number of"}
#: Abbreviations common in exports, spelled out for prose.
_WORDS = {
    "trx": "transactions",
    "txn": "transactions",
    "txns": "transactions",
    "oneoff": "one-off",
    "freq": "frequency",
    "qty": "quantity",
    "avg": "average",
    "prc": "price",
    "cnt": "count",
    "pct": "percent",
    "delicassen": "delicatessen",
    "detergents paper": "detergents and paper",
}


def friendly_label(column: str, labels: Mapping[str, str]) -> str:
    """A short lower-case label for prose: ``MntWines`` -> ``spend on wines``."""
    if column in _SHORT_LABELS:
        return _SHORT_LABELS[column]
    label = labels.get(column, column)
    label = re.sub(r"\s*\([^)]*\)\s*$", "", label).strip() or column
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", label).replace("_", " ").split()
    words = [w if any(ch.isdigit() for ch in w) else w.lower() for w in words]
    if len(words) > 1 and words[0] in _PREFIXES:
        words = [_PREFIXES[words[0]], *words[1:]]
    text = " ".join(_WORDS.get(w, w) for w in words)
    for short, long in _WORDS.items():
        if " " in short:
            text = re.sub(rf"\b{short}\b", long, text)
    return text


_CURRENCY_SIGNS = {"$": "$", "€": "€", "£": "£", "¥": "¥", "usd": "$", "eur": "€", "gbp": "£"}
_UNIT_PARTS = re.compile(
    r"(?P<k1>k|'?000s?|thousands?)?\s*(?:of\s+)?(?P<money>[$€£¥]|usd|eur|gbp)?\s*(?P<k2>k|'?000s?)?",
    re.IGNORECASE,
)


def unit_affixes(unit: str | None) -> tuple[str, str]:
    """What goes before and after a number in ``unit``: ``k$`` -> ``("$", "k")``.

    Money reads the way people write it whatever the header said (``k$``, ``$k``, ``€``,
    ``'000 EUR`` -> ``$87k``, ``€1,200``, ``€87k``); a 1-100 score reads ``82/100``; other
    units follow the number (``%`` glued, words after a space).
    """
    text = (unit or "").strip()
    if not text:
        return "", ""
    found = _UNIT_PARTS.fullmatch(text)
    if found is not None and (found["money"] or found["k1"] or found["k2"]):
        thousands = "k" if found["k1"] or found["k2"] else ""
        sign = _CURRENCY_SIGNS.get((found["money"] or "").lower(), "")
        return sign, thousands
    if text == "%":
        return "", "%"
    if re.fullmatch(r"[01]\s*[-–]\s*(?:10|100)", text):
        return "", "/" + re.split(r"[-–]", text)[-1].strip()
    return "", f" {text}"


def whole_percents(shares: Sequence[float]) -> list[int]:
    """Round 0..1 shares to whole percentages that still sum as the shares do (to 100).

    Largest remainder: each share is rounded down, then the points left go to the shares that
    lost most; on a tie, to the smaller share, which rounding hurts most
    (``[0.405, 0.195, 0.175, 0.115, 0.11]`` -> ``[40, 19, 18, 12, 11]``).
    """
    exact = [share * 100 for share in shares]
    floors = [math.floor(value) for value in exact]
    left = round(sum(exact)) - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-round(exact[i] - floors[i], 9), exact[i], i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def one_day(number: str, suffix: str) -> tuple[str, str]:
    """``("1", " day ago")`` for a count of one day written ``1`` or ``1.0``, not "1 days ago"."""
    if number in ("1", "1.0") and suffix.startswith(" days"):
        return "1", " day" + suffix[len(" days") :]
    return number, suffix


def format_value(value: float, unit: str = "") -> str:
    """``86``, ``3,200``, ``0.42``, with the unit where a reader expects it (``$86k``)."""
    if math.isnan(value):
        return "n/a"
    magnitude = abs(value)
    if magnitude >= 1000:
        text = f"{value:,.0f}"
    elif magnitude >= 10:
        text = f"{value:.0f}"
    else:
        text = f"{value:.2g}" if magnitude >= 0.01 else "0"
    prefix, suffix = unit_affixes(unit)
    text, suffix = one_day(text, suffix)
    if prefix and text.startswith("-"):
        return f"-{prefix}{text[1:]}{suffix}"
    return f"{prefix}{text}{suffix}"
