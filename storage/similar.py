"""Candidate ids close to an unknown customer id, for "did you mean ...?".

Candidates are generated here and checked against the id index in a few indexed queries, so
the cost does not grow with the dataset: case and zero-padding variants, every id one edit
away, numeric neighbours (``C0042`` -> ``C0041``, ``C0043``), and the ids next to it in sort
order (which share its prefix).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

_TRAILING_NUMBER = re.compile(r"^(.*?)(\d+)$")

#: Ids whose trailing numbers differ by at most this much count as close.
NEAR_NUMBER = 10

#: Widest zero padding tried for a trailing number (``C42`` -> ``C0042``).
MAX_PADDING = 10

#: Characters people drop or add between the parts of an id.
_SEPARATORS = "-_. /"

#: Longest id for which every one-edit variant is tried (the count grows with length).
MAX_EDIT_LENGTH = 32


def variants(customer_id: str, neighbours: int = 5) -> list[str]:
    """Return candidate ids close to ``customer_id``, nearest kinds first, without repeats."""
    text = customer_id.strip()
    found: dict[str, None] = {}
    for candidate in (
        *_spelling_variants(text),
        *_numeric_neighbours(text, neighbours),
        *(_one_edit(text) if len(text) <= MAX_EDIT_LENGTH else ()),
    ):
        if candidate and candidate != customer_id:
            found.setdefault(candidate, None)
    return list(found)


def rank(customer_id: str, candidates: Iterable[str], limit: int) -> list[str]:
    """Order existing ``candidates`` by closeness to ``customer_id`` and keep ``limit``."""
    wanted = customer_id.strip().casefold()
    same = canonical(customer_id)
    unique = {c for c in candidates if c != customer_id and _is_close(customer_id, c)}
    return sorted(
        unique,
        key=lambda c: (
            canonical(c) != same,  # the same id written differently comes first
            edit_distance(wanted, c.casefold()),
            _numeric_gap(customer_id, c),
            c,
        ),
    )[: max(limit, 0)]


def canonical(customer_id: str) -> str:
    """Case-folded, without spaces or separators, trailing number without leading zeros."""
    text = "".join(ch for ch in customer_id.casefold() if ch.isalnum())
    match = _TRAILING_NUMBER.match(text)
    if match:
        prefix, digits = match.groups()
        text = prefix + (digits.lstrip("0") or "0")
    return text


def edit_distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance: insert, delete, substitute, swap neighbours."""
    if a == b:
        return 0
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, previous2[j - 2] + 1)
            current.append(best)
        previous2, previous = previous, current
    return previous[-1]


def _is_close(asked: str, candidate: str) -> bool:
    """Worth suggesting: a few edits away, a near number, or it extends what was typed."""
    wanted, other = asked.strip().casefold(), candidate.casefold()
    if canonical(asked) == canonical(candidate) or other.startswith(wanted):
        return True
    if edit_distance(wanted, other) <= max(1, len(wanted) // 3):
        return True
    return _numeric_gap(asked, candidate) <= NEAR_NUMBER


def _spelling_variants(text: str) -> list[str]:
    """Same id written differently: case, zero padding."""
    out = [text, text.upper(), text.lower()]
    if text.isdigit():
        out.append(text.lstrip("0") or "0")
    match = _TRAILING_NUMBER.match(text)
    if match:
        prefix, digits = match.groups()
        number = int(digits)
        for head in dict.fromkeys((prefix, prefix.upper(), prefix.strip(" -_"))):
            out.extend(f"{head}{number:0{width}d}" for width in range(1, MAX_PADDING + 1))
    return out


def _numeric_neighbours(text: str, count: int) -> list[str]:
    """Ids whose trailing number is within ``count`` of this one, same padding."""
    match = _TRAILING_NUMBER.match(text)
    if not match:
        return []
    prefix, digits = match.groups()
    number = int(digits)
    out = []
    for step in range(1, count + 1):
        for value in (number - step, number + step):
            if value >= 0:
                out.append(f"{prefix}{value:0{len(digits)}d}")
                out.append(f"{prefix}{value}")
    return out


def _one_edit(text: str) -> list[str]:
    """Every string one deletion, swap, substitution or insertion away."""
    alphabet = sorted(
        set(string.digits) | set(_SEPARATORS) | set(text) | set(text.upper()) | set(text.lower())
    )
    splits = [(text[:i], text[i:]) for i in range(len(text) + 1)]
    out = [a + b[1:] for a, b in splits if b]
    out += [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    out += [a + ch + b[1:] for a, b in splits if b for ch in alphabet if ch != b[0]]
    out += [a + ch + b for a, b in splits for ch in alphabet]
    return out


def _numeric_gap(a: str, b: str) -> float:
    """Distance between the trailing numbers of two ids with the same prefix, else inf."""
    ma, mb = _TRAILING_NUMBER.match(a.strip()), _TRAILING_NUMBER.match(b)
    if not ma or not mb or ma.group(1).casefold() != mb.group(1).casefold():
        return float("inf")
    gap = abs(int(ma.group(2)) - int(mb.group(2)))
    # Ids of hundreds of digits are no neighbours of anything (and overflow a float).
    return float(gap) if gap < 10**15 else float("inf")
