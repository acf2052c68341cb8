"""Phone-readable PNG charts of a segmentation (``matplotlib.figure.Figure`` + Agg, no pyplot).

Every chart is at most :data:`WIDTH_PX` pixels wide with large fonts and the Okabe–Ito
colour-blind-safe palette. Scatter plots of big tables draw a fixed-seed sample of
:data:`SCATTER_ROWS` customers, so a million rows plot as fast as a few thousand.
"""

from __future__ import annotations

import io
import logging
import textwrap
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from segmentation.choose_k import sample_rows
from segmentation.features import GENDER_PREFIX, build_matrix
from segmentation.personas import friendly_label, level_of, positions
from segmentation.result import Segmentation
from segmentation.table import CustomerTable

logger = logging.getLogger(__name__)

#: Okabe & Ito (2008) colour-blind-safe palette, strongest colours first.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
)
#: Markers cycle too, so segments past the eighth stay distinguishable.
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "*")
WIDTH_PX = 1080
DPI = 120
FONT = 17
#: Customers drawn at most on a scatter plot.
SCATTER_ROWS = 6_000
#: Most features shown on the profile chart.
PROFILE_FEATURES = 10


def colour(number: int) -> str:
    """The colour of segment ``number`` (1-based)."""
    return OKABE_ITO[(number - 1) % len(OKABE_ITO)]


def marker(number: int) -> str:
    """The marker of segment ``number`` (1-based)."""
    return MARKERS[((number - 1) // len(OKABE_ITO)) % len(MARKERS)]


def _figure(height_px: int) -> Figure:
    """A figure :data:`WIDTH_PX` wide."""
    return Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI)


def _png(fig: Figure) -> bytes:
    """Render ``fig`` to PNG bytes."""
    canvas = FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    # Fast zlib level: files grow by a tenth, encoding of a busy scatter gets 3x faster.
    canvas.print_png(buffer, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _axis_label(seg: Segmentation, feature: str) -> str:
    """A feature's axis label with its unit."""
    label = seg.labels.get(feature) or friendly_label(feature, seg.labels)
    unit = seg.units.get(feature)
    if unit and unit not in label:
        label = f"{label} ({unit})"
    return label


def _legend_name(seg: Segmentation, number: int) -> str:
    """``1 · Affluent big spenders (20%)``."""
    segment = seg.segment(number)
    return f"{number} · {segment.persona.name} ({segment.share:.0%})"


def telling_features(seg: Segmentation) -> tuple[str, ...]:
    """Numeric features ordered by how much the segment centres differ on them."""
    numeric = [f for f in seg.features if not f.startswith(GENDER_PREFIX)]
    centers = np.asarray(seg.centers, dtype=np.float64)
    shares = np.array([s.share for s in seg.segments])
    spread = {}
    for j, feature in enumerate(seg.features):
        if feature in numeric:
            spread[feature] = float(np.sum(shares * centers[:, j] ** 2))
    return tuple(sorted(numeric, key=lambda f: (-spread[f], numeric.index(f))))


def render_scatter_png(table: CustomerTable, seg: Segmentation) -> bytes:
    """Scatter of the two most telling features (or a 2-D projection), coloured by segment.

    Income × spending score when both are features; the two features the centres differ most
    on when there are two or three; otherwise the first two principal components of the
    standardised features. Centres are marked with their number.

    Args:
        table: The customers the segmentation was fitted on.
        seg: The segmentation.

    Returns:
        PNG bytes.
    """
    numeric = telling_features(seg)
    base = tuple(
        dict.fromkeys("gender" if f.startswith(GENDER_PREFIX) else f for f in seg.features)
    )
    index = sample_rows(len(table.customers), SCATTER_ROWS, seg.options.random_state)
    sub = table.customers.iloc[index]
    sub_table = type(table)(sub, table.receipt, table.numeric, table.attributes, table.labels)
    matrix = build_matrix(sub_table, base)
    raw = matrix.raw
    mean = np.asarray(seg.scaler_mean)
    scale = np.asarray(seg.scaler_scale)
    centers_std = np.asarray(seg.centers, dtype=np.float64)
    # Numbers need not be 1..k: a run aligned with the previous one keeps its numbers.
    numbers = [s.number for s in seg.segments]
    names = list(seg.features)
    segment = _segments_of(table, seg)[index]
    if {"income", "score"} <= set(names) or (len(numeric) >= 2 and len(seg.features) <= 3):
        pair = ("income", "score") if {"income", "score"} <= set(names) else numeric[:2]
        cols = [names.index(pair[0]), names.index(pair[1])]
        xy = raw[:, cols]
        centres = centers_std[:, cols] * scale[cols] + mean[cols]
        x_label, y_label = _axis_label(seg, pair[0]), _axis_label(seg, pair[1])
        title = f"{friendly_label(pair[0], seg.labels).capitalize()} vs " + friendly_label(
            pair[1], seg.labels
        )
    elif len(names) >= 2:
        std = np.nan_to_num((raw - mean) / scale)  # a missing value sits at the average
        axes, explained = _principal_axes(std)
        xy = std @ axes
        centres = centers_std @ axes
        x_label = f"Projection 1 ({explained[0]:.0%} of the variation)"
        y_label = f"Projection 2 ({explained[1]:.0%})"
        title = "Segments on a 2-D map of all features"
    else:
        xy = np.column_stack([raw[:, 0], segment.astype(np.float64)])
        centres = np.column_stack(
            [centers_std[:, 0] * scale[0] + mean[0], np.asarray(numbers, dtype=np.float64)]
        )
        x_label, y_label = _axis_label(seg, names[0]), "Segment"
        title = f"Segments by {friendly_label(names[0], seg.labels)}"
    legend_rows = seg.k if seg.k <= 6 else -(-seg.k // 2)
    bottom = 0.14 + 0.04 * legend_rows
    fig = _figure(1080)
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
    ax.set_xlabel(x_label, fontsize=FONT)
    ax.set_ylabel(y_label, fontsize=FONT)
    ax.tick_params(labelsize=FONT - 3)
    ax.grid(True, alpha=0.3)
    if len(xy) < len(table.customers):
        title += f"\nsample of {len(xy):,} of {len(table.customers):,} customers"
    ax.set_title(title, fontsize=FONT + 1, loc="left")
    handles = [
        Line2D(
            [],
            [],
            marker=marker(n),
            linestyle="",
            markersize=14,
            color=colour(n),
            label=_legend_name(seg, n),
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
    return _png(fig)


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
    ids = table.customers.index.astype(str)
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


def render_k_chart_png(seg: Segmentation) -> bytes:
    """The k-selection chart: criterion per k, the k used and the runner-up marked.

    When the caller fixed k, the chart marks that k ("your choice") and the k the automatic
    search would have taken ("clearest").

    Args:
        seg: The segmentation.

    Returns:
        PNG bytes.
    """
    choice = seg.k_choice
    fig = _figure(760)
    ax = fig.add_axes((0.14, 0.16, 0.82, 0.7))
    scores = choice.scores
    if scores:
        ks = sorted(scores)
        values = [scores[k] for k in ks]
        ax.plot(ks, values, color=OKABE_ITO[0], linewidth=3, marker="o", markersize=10)
        best = max(ks, key=lambda k: (round(scores[k], 6), -k))
        used = "chosen" if choice.auto else "your choice"
        other, other_label = (choice.runner_up, "runner-up") if choice.auto else (best, "clearest")
        if other not in scores or other == choice.k:
            other = None
        # The higher of the two marks takes its label above, the lower below.
        other_above = other is not None and choice.k in scores and scores[other] > scores[choice.k]
        if choice.k in scores:
            _mark_k(
                ax,
                choice.k,
                scores[choice.k],
                f"{used}: {choice.k}",
                big=True,
                above=not other_above,
            )
        if other is not None:
            _mark_k(
                ax, other, scores[other], f"{other_label}: {other}", big=False, above=other_above
            )
        ax.set_xticks(ks)
        low, high = min(values), max(values)
        pad = max(0.05, (high - low) * 0.25)
        ax.set_ylim(low - pad, high + pad)
        ax.set_xlabel("Number of segments", fontsize=FONT)
        ax.set_ylabel(f"{choice.criterion.capitalize()} (higher = clearer)", fontsize=FONT)
        title = (
            f"Choosing the number of segments: {choice.k}"
            if choice.auto
            else f"{choice.k} segments, as you asked"
        )
    else:
        ax.set_axis_off()
        ax.text(
            0.5,
            0.5,
            f"{choice.k} segments, as you asked.",
            ha="center",
            va="center",
            fontsize=FONT + 4,
            transform=ax.transAxes,
        )
        title = "Number of segments"
    ax.tick_params(labelsize=FONT - 2)
    ax.grid(True, alpha=0.3)
    ax.set_title(title, fontsize=FONT + 3, loc="left")
    return _png(fig)


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


def render_profile_png(seg: Segmentation) -> bytes:
    """Heat map of segments × features: colour = how far the centre is from the average
    customer (in standard deviations), text = the centre in original units.

    Up to four features, segments are rows named by persona; with more, features are rows
    and segments columns (numbered, named in a legend below), so long lists stay readable on a
    narrow screen.

    Args:
        seg: The segmentation.

    Returns:
        PNG bytes.
    """
    features = list(telling_features(seg))[:PROFILE_FEATURES]
    features += [f for f in seg.features if f.startswith(GENDER_PREFIX)][
        : max(0, PROFILE_FEATURES - len(features))
    ]
    cols = [seg.features.index(f) for f in features]
    centers = np.asarray(seg.centers, dtype=np.float64)[:, cols]
    k, p = centers.shape
    bold = np.zeros((k, p), dtype=bool)
    texts = np.empty((k, p), dtype=object)
    for i, segment in enumerate(seg.segments):
        place = positions(segment, seg.population, features)
        for j, feature in enumerate(features):
            value = segment.centroid[feature]
            gender = feature.startswith(GENDER_PREFIX)
            texts[i, j] = f"{value:.0%}" if gender else _short_number(value)
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
    fig = _figure(height)
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
        ax.set_yticklabels([_column_label(seg, f, width=22) for f in features], fontsize=FONT - 3)
        fig.legend(
            handles=[
                Line2D([], [], linestyle="", label=_legend_name(seg, s.number))
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
        x_note = "Segments (columns)"
    else:
        ax.set_xticklabels([_column_label(seg, f) for f in features], fontsize=FONT - 2)
        ax.set_yticklabels(
            [textwrap.fill(_legend_name(seg, s.number), 24) for s in seg.segments],
            fontsize=FONT - (4 if k > 6 else 2),
        )
        x_note = ""
    ax.tick_params(length=0)
    fig.text(0.03, 1 - 40 / height, "What sets each segment apart", fontsize=FONT + 3, va="top")
    if x_note:
        fig.text(left, 1 - 88 / height, x_note, fontsize=FONT - 4, va="top", color="#444444")
    cax = fig.add_axes((0.3, (legend_px + 62) / height, 0.5, 22 / height))
    bar = fig.colorbar(image, cax=cax, orientation="horizontal", ticks=[-2, -1, 0, 1, 2])
    bar.set_label("below average ← → above average", fontsize=FONT - 3)
    bar.ax.tick_params(labelsize=FONT - 5)
    return _png(fig)


def _column_label(seg: Segmentation, feature: str, width: int = 14) -> str:
    """A short column header for the profile chart."""
    if feature.startswith(GENDER_PREFIX):
        return f"{feature[len(GENDER_PREFIX) :]} share"
    label = friendly_label(feature, seg.labels)
    unit = seg.units.get(feature)
    text = f"{label} ({unit})" if unit else label
    return textwrap.fill(text[:1].upper() + text[1:], width)


def _short_number(value: float) -> str:
    """Compact number for a heat-map cell: 86, 3.2k, 1.2M, 0.42."""
    magnitude = abs(value)
    if magnitude >= 1e6:
        return f"{value / 1e6:.1f}M"
    if magnitude >= 1e4:
        return f"{value / 1e3:.0f}k"
    if magnitude >= 1e3:
        return f"{value / 1e3:.1f}k"
    if magnitude >= 10:
        return f"{value:.0f}"
    return f"{value:.2g}"
