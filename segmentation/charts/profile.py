"""The profile chart: where each segment stands on every feature, in a phone-readable grid
(``matplotlib.figure.Figure`` + Agg, no pyplot)."""

from __future__ import annotations

import logging
import textwrap

import numpy as np
from matplotlib.lines import Line2D

from segmentation.charts.style import (
    FONT,
    legend_name,
    new_figure,
    short_number,
    telling_features,
    to_png,
)
from segmentation.column_words import level_label, short_label, shown_unit
from segmentation.features import is_level
from segmentation.result import Segmentation
from segmentation.standing import level_of, positions
from segmentation.words import ENGLISH, N_, Words

logger = logging.getLogger(__name__)

#: Most features shown on the profile chart.
PROFILE_FEATURES = 10


def render_profile_png(seg: Segmentation, *, words: Words = ENGLISH) -> bytes:
    """Heat map of segments × features: colour = how far the centre is from the average
    customer (in standard deviations), text = the centre in original units.

    Up to four features, segments are rows named by persona; with more, features are rows
    and segments columns (numbered, named in a legend below), so long lists stay readable on a
    narrow screen.

    Args:
        seg: The segmentation.
        words: The language of the title, labels and legend.

    Returns:
        PNG bytes.
    """
    features = list(telling_features(seg))[:PROFILE_FEATURES]
    features += [f for f in seg.features if is_level(f)][: max(0, PROFILE_FEATURES - len(features))]
    cols = [seg.features.index(f) for f in features]
    centers = np.asarray(seg.centers, dtype=np.float64)[:, cols]
    k, p = centers.shape
    bold = np.zeros((k, p), dtype=bool)
    texts = np.empty((k, p), dtype=object)
    for i, segment in enumerate(seg.segments):
        place = positions(segment, seg.population, features)
        for j, feature in enumerate(features):
            value = segment.centroid[feature]
            gender = is_level(feature)
            texts[i, j] = f"{value:.0%}" if gender else short_number(value)
            bold[i, j] = level_of(place.get(feature, 0.0)) != "average"
    by_feature = p > 4
    grid = centers.T if by_feature else centers
    cell_text = texts.T if by_feature else texts
    cell_bold = bold.T if by_feature else bold
    rows, columns = grid.shape
    row_px = 64 if by_feature else (110 if k <= 6 else 80)
    legend_rows = (k if k <= 6 else -(-k // 2)) if by_feature else 0
    top_px, bar_px, legend_px = 150, 120, 38 * legend_rows + (20 if legend_rows else 0)
    height = top_px + row_px * rows + bar_px + legend_px
    fig = new_figure(height)
    left = 0.34 if by_feature else 0.36
    ax = fig.add_axes((left, (bar_px + legend_px) / height, 0.97 - left, row_px * rows / height))
    image = ax.imshow(grid, cmap="RdBu_r", vmin=-2, vmax=2, aspect="auto")
    font = FONT - 1 if columns <= 6 else FONT - 4
    for i in range(rows):
        for j in range(columns):
            ax.text(
                j,
                i,
                cell_text[i, j],
                ha="center",
                va="center",
                fontsize=font,
                color="white" if abs(grid[i, j]) > 1.2 else "black",
                weight="bold" if cell_bold[i, j] else "normal",
            )
    ax.xaxis.set_ticks_position("top")
    ax.set_xticks(range(columns))
    ax.set_yticks(range(rows))
    if by_feature:
        ax.set_xticklabels([str(s.number) for s in seg.segments], fontsize=FONT, weight="bold")
        ax.set_yticklabels(
            [_column_label(seg, f, words, width=22) for f in features], fontsize=FONT - 3
        )
        fig.legend(
            handles=[
                Line2D([], [], linestyle="", label=legend_name(seg, s.number, words))
                for s in seg.segments
            ],
            loc="lower left",
            bbox_to_anchor=(0.02, 0.0),
            ncols=1 if k <= 6 else 2,
            fontsize=FONT - 2 if k <= 6 else FONT - 5,
            frameon=False,
            handlelength=0,
            handletextpad=0,
        )
        x_note = words(N_("Segments (columns)"))
    else:
        ax.set_xticklabels([_column_label(seg, f, words) for f in features], fontsize=FONT - 2)
        ax.set_yticklabels(
            [textwrap.fill(legend_name(seg, s.number, words), 24) for s in seg.segments],
            fontsize=FONT - (4 if k > 6 else 2),
        )
        x_note = ""
    ax.tick_params(length=0)
    title = words(N_("What sets each segment apart"))
    fig.text(0.03, 1 - 40 / height, title, fontsize=FONT + 3, va="top")
    if x_note:
        fig.text(left, 1 - 88 / height, x_note, fontsize=FONT - 4, va="top", color="#444444")
    cax = fig.add_axes((0.3, (legend_px + 62) / height, 0.5, 22 / height))
    bar = fig.colorbar(image, cax=cax, orientation="horizontal", ticks=[-2, -1, 0, 1, 2])
    bar.set_label(words(N_("below average ← → above average")), fontsize=FONT - 3)
    bar.ax.tick_params(labelsize=FONT - 5)
    return to_png(fig)


def _column_label(seg: Segmentation, feature: str, words: Words, width: int = 14) -> str:
    """A short column header for the profile chart."""
    if is_level(feature):
        return level_label(feature, words)
    label = short_label(seg, feature, words)
    unit = shown_unit(seg.units.get(feature), words)
    text = words(N_("{label} ({unit})"), label=label, unit=unit) if unit else label
    return textwrap.fill(text[:1].upper() + text[1:], width)
