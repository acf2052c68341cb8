"""The k-choice chart: how well each number of segments separates the customers, and why
the chosen one was chosen (``matplotlib.figure.Figure`` + Agg, no pyplot)."""

from __future__ import annotations

import logging
from typing import Any

from segmentation.charts.style import (
    FONT,
    OKABE_ITO,
    new_figure,
    to_png,
)
from segmentation.result import Segmentation
from segmentation.words import ENGLISH, N_, Words

logger = logging.getLogger(__name__)

#: The y-axis label of each criterion the k search may use.
CRITERION_LABELS = {"silhouette": N_("Silhouette (higher = clearer)")}


def render_k_chart_png(seg: Segmentation, *, words: Words = ENGLISH) -> bytes:
    """The k-selection chart: criterion per k, the k used and the runner-up marked.

    When the caller fixed k, the chart marks that k ("your choice") and the k the automatic
    search would have taken ("clearest").

    Args:
        seg: The segmentation.
        words: The language of the title, axes and marks.

    Returns:
        PNG bytes.
    """
    choice = seg.k_choice
    fig = new_figure(760)
    ax = fig.add_axes((0.14, 0.16, 0.82, 0.7))
    scores = choice.scores
    if scores:
        ks = sorted(scores)
        values = [scores[k] for k in ks]
        ax.plot(ks, values, color=OKABE_ITO[0], linewidth=3, marker="o", markersize=10)
        best = max(ks, key=lambda k: (round(scores[k], 6), -k))
        used = N_("chosen: {k}") if choice.auto else N_("your choice: {k}")
        other, other_label = (
            (choice.runner_up, N_("runner-up: {k}")) if choice.auto else (best, N_("clearest: {k}"))
        )
        if other not in scores or other == choice.k:
            other = None
        # The higher of the two marks takes its label above, the lower below.
        other_above = other is not None and choice.k in scores and scores[other] > scores[choice.k]
        if choice.k in scores:
            _mark_k(
                ax,
                choice.k,
                scores[choice.k],
                words(used, k=str(choice.k)),
                big=True,
                above=not other_above,
            )
        if other is not None:
            _mark_k(
                ax,
                other,
                scores[other],
                words(other_label, k=str(other)),
                big=False,
                above=other_above,
            )
        ax.set_xticks(ks)
        low, high = min(values), max(values)
        pad = max(0.05, (high - low) * 0.25)
        ax.set_ylim(low - pad, high + pad)
        ax.set_xlabel(words(N_("Number of segments")), fontsize=FONT)
        criterion = CRITERION_LABELS.get(choice.criterion)
        ax.set_ylabel(
            words(criterion)
            if criterion
            else f"{choice.criterion.capitalize()} (higher = clearer)",
            fontsize=FONT,
        )
        title = (
            words(N_("Choosing the number of segments: {k}"), k=str(choice.k))
            if choice.auto
            else words.ngettext("{n} segment, as you asked", "{n} segments, as you asked", choice.k)
        )
    else:
        ax.set_axis_off()
        ax.text(
            0.5,
            0.5,
            words.ngettext("{n} segment, as you asked.", "{n} segments, as you asked.", choice.k),
            ha="center",
            va="center",
            fontsize=FONT + 4,
            transform=ax.transAxes,
        )
        title = words(N_("Number of segments"))
    ax.tick_params(labelsize=FONT - 2)
    ax.grid(True, alpha=0.3)
    ax.set_title(title, fontsize=FONT + 3, loc="left")
    return to_png(fig)


def _mark_k(ax: Any, k: int, value: float, text: str, *, big: bool, above: bool) -> None:
    """Mark one k on the chart: a filled dot (the k used) or a ring, labelled above or below."""
    if big:
        ax.scatter([k], [value], s=500, color=OKABE_ITO[3], zorder=5)
    else:
        ax.scatter(
            [k], [value], s=260, facecolors="none", edgecolors="black", linewidths=2.5, zorder=5
        )
    ax.annotate(
        text,
        (k, value),
        xytext=(0, 22 if above else -38),
        textcoords="offset points",
        ha="center",
        fontsize=FONT if big else FONT - 2,
        weight="bold" if big else "normal",
        color=OKABE_ITO[3] if big else "black",
    )
