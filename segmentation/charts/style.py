"""Shared look of the charts: size, fonts, the colour-blind-safe palette, PNG output."""

from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from segmentation.column_words import short_label, shown_labels, shown_unit
from segmentation.display import whole_percents
from segmentation.features import is_level
from segmentation.persona_words import localise
from segmentation.result import Segmentation
from segmentation.words import ENGLISH, N_, Words

#: Okabe & Ito (2008) colour-blind-safe palette, strongest colours first; its yellow is faint
#: on white, so it comes last.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#000000",
    "#F0E442",
)
#: Markers cycle too, so segments past the eighth stay distinguishable.
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "*")
WIDTH_PX = 1080
DPI = 120
FONT = 17


def colour(number: int) -> str:
    """The colour of segment ``number`` (1-based)."""
    return OKABE_ITO[(number - 1) % len(OKABE_ITO)]


def marker(number: int) -> str:
    """The marker of segment ``number`` (1-based)."""
    return MARKERS[((number - 1) // len(OKABE_ITO)) % len(MARKERS)]


def new_figure(height_px: int) -> Figure:
    """A figure :data:`WIDTH_PX` wide."""
    return Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI)


def to_png(fig: Figure) -> bytes:
    """Render ``fig`` to PNG bytes."""
    canvas = FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    # Fast zlib level: files grow by a tenth, encoding of a busy scatter gets 3x faster.
    canvas.print_png(buffer, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def axis_label(seg: Segmentation, feature: str, words: Words = ENGLISH) -> str:
    """A feature's axis label with its unit."""
    label = shown_labels(seg, words).get(feature) or short_label(seg, feature, words)
    unit = shown_unit(seg.units.get(feature), words)
    if unit and unit not in label:
        label = words(N_("{label} ({unit})"), label=label, unit=unit)
    return label


def legend_name(seg: Segmentation, number: int, words: Words = ENGLISH) -> str:
    """``1 · Affluent big spenders (20%)``."""
    segment = seg.segment(number)
    # The same whole percentages as the chat's lists: together they make 100%.
    percents = whole_percents([s.share for s in seg.segments])
    share = percents[[s.number for s in seg.segments].index(number)]
    name = localise(segment.persona, words).name
    return words(N_("{number} · {name} ({share}%)"), number=str(number), name=name, share=share)


def telling_features(seg: Segmentation) -> tuple[str, ...]:
    """Numeric features ordered by how much the segment centres differ on them."""
    numeric = [f for f in seg.features if not is_level(f)]
    centers = np.asarray(seg.centers, dtype=np.float64)
    shares = np.array([s.share for s in seg.segments])
    spread = {}
    for j, feature in enumerate(seg.features):
        if feature in numeric:
            spread[feature] = float(np.sum(shares * centers[:, j] ** 2))
    return tuple(sorted(numeric, key=lambda f: (-spread[f], numeric.index(f))))


def short_number(value: float) -> str:
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
