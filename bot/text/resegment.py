"""The answers of /k and /features: how to ask, and what cannot be done."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import _
from bot.text.format import (
    MAX_LIST,
    MAX_NAME,
    code,
    feature_name,
    truncate_plain,
)


def k_usage(k_min: int, k_max: int) -> str:
    """Answer /k with a bad argument."""
    return _(
        "Send /k and a number from {low} to {high} (e.g. /k 5), or /k auto to let me choose.",
        low=k_min,
        high=k_max,
    )


def features_usage(available: Sequence[str], labels: dict[str, str] | None = None) -> str:
    """Answer /features with no or unknown columns."""
    names = ", ".join(code(feature_name(c, labels)) for c in available[:MAX_LIST])
    return _(
        "Send /features and the columns to segment on, separated by commas, "
        "e.g. /features income,score.\nColumns you can use: {names}",
        names=names or _("none"),
    )


def unknown_features(
    unknown: Sequence[str], available: Sequence[str], labels: dict[str, str]
) -> str:
    """Answer /features naming columns the data does not have."""
    missing = ", ".join(code(truncate_plain(u, MAX_NAME)) for u in unknown[:MAX_LIST])
    if len(unknown) > MAX_LIST:
        missing = _("{items} and {count} more", items=missing, count=len(unknown) - MAX_LIST)
    return (
        _("I have no column {columns}.", columns=missing) + "\n" + features_usage(available, labels)
    )


def same_options() -> str:
    """Answer a /k or /features that asks for what is already active."""
    return _("That is already the active choice; nothing to change.")
