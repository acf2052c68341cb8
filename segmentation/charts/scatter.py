"""The scatter chart: customers on the two most telling features, coloured by segment.

Big tables draw a fixed-seed sample of :data:`SCATTER_ROWS` customers, so a million rows plot
as fast as a few thousand.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from matplotlib.lines import Line2D

from segmentation.charts.style import (
    FONT,
    axis_label,
    colour,
    legend_name,
    marker,
    new_figure,
    telling_features,
    to_png,
)
from segmentation.choose_k import sample_rows
from segmentation.column_words import short_label
from segmentation.features import build_matrix, feature_columns
from segmentation.ingest.table import CustomerTable
from segmentation.result import Segmentation
from segmentation.words import ENGLISH, N_, Text, Words

logger = logging.getLogger(__name__)

#: Customers drawn at most on a scatter plot.
SCATTER_ROWS = 6_000


def render_scatter_png(table: CustomerTable, seg: Segmentation, *, words: Words = ENGLISH) -> bytes:
    """Scatter of the two most telling features (or a 2-D projection), coloured by segment.

    Income × spending score when both are features; the two features the centres differ most
    on when there are two or three; otherwise the first two principal components of the
    standardised features. Centres are marked with their number.

    Args:
        table: The customers the segmentation was fitted on.
        seg: The segmentation.
        words: The language of the title, axes and legend.

    Returns:
        PNG bytes.
    """
    numeric = telling_features(seg)
    base = feature_columns(seg.features)
    index = sample_rows(len(table.customers), SCATTER_ROWS, seg.options.random_state)
    sub = table.customers.iloc[index]
    sub_table = type(table)(sub, table.receipt, table.numeric, table.attributes, table.labels)
    matrix = build_matrix(sub_table, base)
    raw = matrix.raw
    centers_std = np.asarray(seg.centers, dtype=np.float64)
    # Numbers need not be 1..k: a run aligned with the previous one keeps its numbers.
    numbers = [s.number for s in seg.segments]
    names = list(seg.features)
    segment = _segments_of(table, seg)[index]
    if {"income", "score"} <= set(names) or (len(numeric) >= 2 and len(seg.features) <= 3):
        pair = ("income", "score") if {"income", "score"} <= set(names) else numeric[:2]
        cols = [names.index(pair[0]), names.index(pair[1])]
        xy = raw[:, cols]
        centres = seg.to_original(centers_std)[:, cols]
        x_label, y_label = axis_label(seg, pair[0], words), axis_label(seg, pair[1], words)
        # A feature clustered by ratio is drawn by ratio too: log(1 + x / c), ticks in units.
        offsets = [_offset(seg, f) for f in pair]
        xy = np.column_stack([_ratio(xy[:, j], offsets[j]) for j in range(2)])
        centres = np.column_stack([_ratio(centres[:, j], offsets[j]) for j in range(2)])
        log_axes = [c > 0 for c in offsets]
        log_scale = N_("{label} (log scale)")
        x_label = words(log_scale, label=x_label) if log_axes[0] else x_label
        y_label = words(log_scale, label=y_label) if log_axes[1] else y_label
        title = words(
            N_("{x} vs {y}"),
            x=short_label(seg, pair[0], words).capitalize(),
            y=short_label(seg, pair[1], words),
        )
    elif len(names) >= 2:
        offsets = [0.0, 0.0]
        std = np.nan_to_num(seg.standardise(raw))  # a missing value sits at the average
        axes, explained = _principal_axes(std)
        xy = std @ axes
        centres = centers_std @ axes
        # Plain words on the manager's chart: the axes blend every column.
        x_label = words(
            N_("All columns blended, first axis ({share}% of the differences)"),
            share=_percent(explained[0]),
        )
        y_label = words(N_("Second axis ({share}%)"), share=_percent(explained[1]))
        title = words(N_("Segments on a 2-D map of all features"))
    else:
        offsets = [0.0, 0.0]
        xy = np.column_stack([raw[:, 0], segment.astype(np.float64)])
        centres = np.column_stack(
            [seg.to_original(centers_std)[:, 0], np.asarray(numbers, dtype=np.float64)]
        )
        x_label, y_label = axis_label(seg, names[0], words), words(N_("Segment"))
        title = words(N_("Segments by {column}"), column=short_label(seg, names[0], words))
    legend_rows = seg.k if seg.k <= 6 else -(-seg.k // 2)
    bottom = 0.14 + 0.04 * legend_rows
    fig = new_figure(1080)
    ax = fig.add_axes((0.13, bottom, 0.83, 0.86 - bottom))
    size = float(np.clip(6000 / max(len(xy), 1), 6, 60))
    alpha = 0.85 if len(xy) <= 1000 else 0.5
    for number in numbers:
        members = segment == number
        ax.scatter(
            xy[members, 0],
            xy[members, 1],
            s=size,
            c=colour(number),
            marker=marker(number),
            alpha=alpha,
            linewidths=0,
            rasterized=True,
        )
    x_view, y_view = _view(xy[:, 0], centres[:, 0]), _view(xy[:, 1], centres[:, 1])
    ax.set_xlim(*x_view)
    ax.set_ylim(*y_view)
    _mark_centres(ax, centres, numbers, x_view, y_view)
    if offsets[0] > 0:
        _ratio_ticks(ax.xaxis, offsets[0], x_view)
    if offsets[1] > 0:
        _ratio_ticks(ax.yaxis, offsets[1], y_view)
    ax.set_xlabel(x_label, fontsize=FONT)
    ax.set_ylabel(y_label, fontsize=FONT)
    ax.tick_params(labelsize=FONT - 3)
    ax.grid(True, alpha=0.3)
    if len(xy) < len(table.customers):
        sample = Text.ngettext(
            "sample of {shown} of {n} customer",
            "sample of {shown} of {n} customers",
            len(table.customers),
            shown=len(xy),
        )
        title += "\n" + sample.say(words)
    ax.set_title(title, fontsize=FONT + 1, loc="left")
    handles = [
        Line2D(
            [],
            [],
            marker=marker(n),
            linestyle="",
            markersize=14,
            color=colour(n),
            label=legend_name(seg, n, words),
        )
        for n in numbers
    ]
    fig.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.02, 0.0),
        ncols=1 if seg.k <= 6 else 2,
        fontsize=FONT - 1 if seg.k <= 6 else FONT - 4,
        frameon=False,
        handletextpad=0.3,
    )
    return to_png(fig)


def _percent(share: float) -> str:
    """A share as whole percent digits, as ``{:.0%}`` writes them (``42``)."""
    return f"{share:.0%}".rstrip("%")


def _mark_centres(
    ax: Any,
    centres: np.ndarray,
    numbers: list[int],
    x_view: tuple[float, float],
    y_view: tuple[float, float],
) -> None:
    """Circle each centre with its number; move a label aside when it would cover another.

    Segments that differ only on a feature not drawn (say age, on an income × score plot)
    have centres on top of each other; their labels are then set side by side, each tied to
    its centre by a line.
    """
    width, height = x_view[1] - x_view[0], y_view[1] - y_view[0]
    placed: list[tuple[float, float]] = []
    for position, number in enumerate(numbers):
        cx, cy = centres[position]
        fx, fy = (cx - x_view[0]) / width, (cy - y_view[0]) / height
        step = 0
        while any(abs(fx - px) < 0.07 and abs(fy - py) < 0.07 for px, py in placed):
            step += 1
            fx += 0.08 * (step if step % 2 else -step)
        placed.append((fx, fy))
        lx, ly = x_view[0] + fx * width, y_view[0] + fy * height
        if step:
            ax.plot([cx, lx], [cy, ly], color="black", linewidth=2, zorder=4)
        ax.scatter([lx], [ly], s=900, c="white", edgecolors="black", linewidths=2.5, zorder=5)
        ax.text(
            lx, ly, str(number), ha="center", va="center", fontsize=FONT, weight="bold", zorder=6
        )


def _offset(seg: Segmentation, feature: str) -> float:
    """``c`` of the log transform a feature was clustered on, 0 when used as it is."""
    index = seg.features.index(feature)
    return seg.log_offsets[index] if index < len(seg.log_offsets) else 0.0


def _ratio(values: np.ndarray, offset: float) -> np.ndarray:
    """Values placed as the model saw them: ``log(1 + x / c)``, or as they are."""
    if offset <= 0:
        return values
    return np.log1p(np.maximum(values, 0.0) / offset)


def _ratio_ticks(axis: Any, offset: float, view: tuple[float, float]) -> None:
    """Ticks at round amounts (1, 2, 5 × 10ⁿ) on an axis drawn as ``log(1 + x / c)``."""
    low, high = (float(np.expm1(v) * offset) for v in view)
    amounts = [0.0] + [m * 10.0**e for e in range(-2, 10) for m in (1, 2, 5)]
    shown = [a for a in amounts if max(low, 0.0) <= a <= high]
    if len(shown) > 7:  # keep the powers of ten only
        shown = [a for a in shown if a == 0 or np.isclose(np.log10(a) % 1, 0)]
    axis.set_ticks([float(np.log1p(a / offset)) for a in shown])
    axis.set_ticklabels([_amount(a) for a in shown])


def _amount(value: float) -> str:
    """A round amount for a tick: ``0``, ``0.5``, ``20``, ``5,000``."""
    if value >= 1:
        return f"{value:,.0f}"
    return f"{value:g}"


def _view(values: np.ndarray, centres: np.ndarray) -> tuple[float, float]:
    """Axis limits that keep the centres and all but the farthest 0.2% of points."""
    finite = values[np.isfinite(values)]
    if not len(finite):
        return (0.0, 1.0)
    low, high = np.quantile(finite, [0.001, 0.999])
    low, high = min(low, centres.min()), max(high, centres.max())
    pad = (high - low) * 0.05 or 1.0
    return (float(low - pad), float(high + pad))


def _segments_of(table: CustomerTable, seg: Segmentation) -> np.ndarray:
    """Each table row's segment number, in table order (0 when unknown)."""
    assigned = seg.assignments["segment"]
    rows = table.customers.index
    if len(assigned) == len(rows) and (assigned.index.is_(rows) or assigned.index.equals(rows)):
        return assigned.to_numpy(dtype=np.int64)  # the same ids in the same order
    ids = rows.astype(str)
    if len(assigned) == len(ids) and (assigned.index == ids).all():
        return assigned.to_numpy(dtype=np.int64)
    return assigned.reindex(ids).fillna(0).to_numpy(dtype=np.int64)


def _principal_axes(std: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first two principal axes (sign fixed) and their explained variance shares."""
    centred = std - std.mean(axis=0)
    _, values, vt = np.linalg.svd(centred, full_matrices=False)
    axes = vt[:2].T.copy()
    for j in range(axes.shape[1]):
        if axes[np.argmax(np.abs(axes[:, j])), j] < 0:
            axes[:, j] *= -1
    variance = values**2
    return axes, variance[:2] / max(float(variance.sum()), 1e-12)
