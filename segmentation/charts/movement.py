"""The month-over-month picture: a transition heatmap, or sizes then and now."""

from __future__ import annotations

import io
import logging
import textwrap
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from segmentation.column_words import persona_name
from segmentation.words import ENGLISH, N_, Words

if TYPE_CHECKING:
    from segmentation.movement_compare import Comparison

logger = logging.getLogger(__name__)

#: Colour-blind-safe sequential map (perceptually uniform, readable in grey).
CMAP = "cividis"
#: Colour-blind-safe pair for "then" and "now" bars (Okabe–Ito sky blue and vermillion).
THEN_COLOUR = "#56B4E9"
NOW_COLOUR = "#D55E00"
WIDTH_IN = 10.0
DPI = 150  # 10 in x 150 dpi = 1500 px, under the 1600 px limit
LABEL_WIDTH = 20  # characters per line of a wrapped persona name


def render_transitions_png(comparison: Comparison, *, words: Words = ENGLISH) -> bytes:
    """Draw where customers went between two runs, readable on a phone.

    With comparable ids: a heatmap, previous segments down the side, current segments across
    the top, plus a "gone" column and a "new" row; each cell shows its customer count, and the
    colour is the cell's share of its row (where that row's customers went). Without: segment
    sizes then and now as paired bars, titled with why customers could not be followed.

    Args:
        comparison: From :func:`segmentation.movement.compare_segmentations`.
        words: The language of the title, labels and segment names.

    Returns:
        PNG bytes, 1500 px wide.
    """
    figure = _heatmap(comparison, words) if comparison.ids_comparable else _sizes(comparison, words)
    buffer = io.BytesIO()
    FigureCanvasAgg(figure)
    figure.savefig(buffer, format="png", dpi=DPI)
    data = buffer.getvalue()
    logger.debug("transition plot: %d bytes", len(data))
    return data


def _label(number: int, name: str) -> str:
    """``"3 · Careful high earners"`` wrapped to fit beside the plot."""
    return textwrap.fill(f"{number} · {name}", LABEL_WIDTH) if name else str(number)


def _heatmap(comparison: Comparison, words: Words) -> Figure:
    """The transition matrix as an annotated heatmap."""
    rows = list(comparison.previous_sizes)
    cols = list(comparison.current_sizes)
    counts = np.zeros((len(rows) + 1, len(cols) + 1), dtype=np.int64)
    row_at = {n: i for i, n in enumerate(rows)}
    col_at = {n: j for j, n in enumerate(cols)}
    for number, count in comparison.stayed_by_segment.items():
        if number in row_at and number in col_at:
            counts[row_at[number], col_at[number]] = count
    for t in comparison.transitions:
        if t.from_segment in row_at and t.to_segment in col_at:
            counts[row_at[t.from_segment], col_at[t.to_segment]] = t.count
    for number, count in comparison.gone_by_segment.items():
        if number in row_at:
            counts[row_at[number], -1] = count
    for number, count in comparison.new_by_segment.items():
        if number in col_at:
            counts[-1, col_at[number]] = count
    cells = max(len(rows), len(cols)) + 1
    font = 18 if cells <= 6 else 16 if cells <= 9 else 14
    before_names = _names(comparison.previous_names, words)
    now_names = _names(comparison.current_names, words)
    row_labels = [_label(n, before_names.get(n, "")) for n in rows] + [words(N_("new"))]
    # Across the bottom only numbers: a number that is also a row is the same segment (same
    # number, same name), named on the left; new segments are named under the axis.
    col_labels = [str(n) if n in row_at else f"{n}*" for n in cols]
    new_names = [f"{n} · {now_names.get(n, '')}".rstrip(" ·") for n in cols if n not in row_at]
    col_labels.append(words(N_("gone")))
    # A "new" row or "gone" column with nobody in it is only clutter.
    if not comparison.new_by_segment:
        counts, row_labels = counts[:-1], row_labels[:-1]
    if not comparison.gone_by_segment:
        counts, col_labels = counts[:, :-1], col_labels[:-1]
    totals = counts.sum(axis=1, keepdims=True)
    share = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)

    height = min(max(6.0, 0.9 * len(row_labels) + 3.5), 13.0)
    figure = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    ax = figure.add_subplot()
    image = ax.imshow(share, cmap=CMAP, vmin=0.0, vmax=1.0, aspect="auto")
    for i in range(counts.shape[0]):
        for j in range(counts.shape[1]):
            if counts[i, j] == 0:
                continue  # empty cells stay blank so the flows stand out
            # cividis runs dark blue to light yellow: dark text on the light half.
            colour = "black" if share[i, j] > 0.4 else "white"
            ax.text(
                j,
                i,
                words.number(int(counts[i, j])),
                ha="center",
                va="center",
                color=colour,
                fontsize=font,
                fontweight="bold",
            )
    ax.set_xticks(
        range(len(col_labels)),
        col_labels,
        fontsize=font - 2,
    )
    ax.set_yticks(range(len(row_labels)), row_labels, fontsize=font - 2)
    ax.set_xlabel(
        textwrap.fill(words(N_("now (* new: {names})"), names="; ".join(new_names)), 60)
        if new_names
        else words(N_("now")),
        fontsize=font - 2 if new_names else font,
    )
    ax.set_ylabel(words(N_("before")), fontsize=font)
    ax.set_title(
        words(
            N_("Who moved where: {moved} moved, {stayed} stayed"),
            moved=words.number(comparison.moved),
            stayed=words.number(comparison.stayed),
        ),
        fontsize=font + 2,
    )
    bar = figure.colorbar(image, ax=ax, shrink=0.8, ticks=[0, 0.25, 0.5, 0.75, 1])
    bar.ax.set_yticklabels(["0%", "25%", "50%", "75%", "100%"])
    bar.set_label(words(N_("share of the earlier segment")), fontsize=font - 2)
    bar.ax.tick_params(labelsize=font - 4)
    return figure


def _names(names: dict[int, str], words: Words) -> dict[int, str]:
    """Segment number -> its persona's name in ``words``' language."""
    return {number: persona_name(name, words) if name else "" for number, name in names.items()}


def _sizes(comparison: Comparison, words: Words) -> Figure:
    """Segment sizes then and now as paired horizontal bars."""
    numbers = sorted(set(comparison.previous_sizes) | set(comparison.current_sizes))
    names = _names({**comparison.previous_names, **comparison.current_names}, words)
    labels = [_label(n, names.get(n, "")) for n in numbers]
    then = [comparison.previous_sizes.get(n, 0) for n in numbers]
    now = [comparison.current_sizes.get(n, 0) for n in numbers]
    font = 18 if len(numbers) <= 6 else 14
    height = min(max(6.0, 1.1 * len(numbers) + 2.5), 14.0)
    figure = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    ax = figure.add_subplot()
    y = np.arange(len(numbers))
    for offset, values, colour, label in (
        (-0.2, then, THEN_COLOUR, words(N_("before"))),
        (0.2, now, NOW_COLOUR, words(N_("now"))),
    ):
        bars = ax.barh(y + offset, values, height=0.4, color=colour, label=label)
        ax.bar_label(
            bars, labels=[words.number(int(v)) for v in values], padding=4, fontsize=font - 4
        )
    ax.margins(x=0.12)
    ax.set_yticks(y, labels, fontsize=font - 4)
    ax.invert_yaxis()
    ax.tick_params(axis="x", labelsize=font - 4)
    ax.set_xlabel(words(N_("customers")), fontsize=font)
    why = {
        "ids_generated": N_("no customer ids in one file"),
        "no_common_ids": N_("no customer ids in common"),
        "not_same_people": N_("the ids in common are not the same customers"),
    }.get(comparison.reason, "")
    title = words(N_("Segment sizes before and now"))
    if why:
        title += "\n" + words(N_("({why}: sizes only)"), why=words(why))
    ax.set_title(title, fontsize=font + 2)
    ax.legend(fontsize=font - 4, loc="best")
    return figure
