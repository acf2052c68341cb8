"""Plain values the engine returns: a segmentation, its segments, targets and lookups.

Everything here converts to and from JSON-safe dicts so that a store can keep it without
knowing the engine.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from segmentation.features import backward, forward

#: Percentiles kept per feature and per segment's distances, for fast lookups.
QUANTILE_LEVELS: tuple[float, ...] = tuple(i / 100 for i in range(101))


@dataclass(frozen=True)
class SegmentOptions:
    """What the caller asked for.

    Attributes:
        k: Number of segments, or ``None`` to choose it automatically in ``k_min..k_max``.
        features: Columns to cluster on (canonical names or headers), or ``None`` for the
            default choice.
        k_min: Smallest k tried by the automatic choice.
        k_max: Largest k tried by the automatic choice.
        random_state: The only source of randomness.
        prefer_k: With automatic k, the k to keep unless another separates clearly better
            (see :mod:`segmentation.choose_k`), e.g. last month's k, so that segments keep
            their identity from one upload to the next; ``None`` chooses afresh. Ignored when
            ``k`` is given or when it lies outside ``k_min..k_max``.
    """

    k: int | None = None
    features: tuple[str, ...] | None = None
    k_min: int = 2
    k_max: int = 10
    random_state: int = 0
    prefer_k: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SegmentOptions:
        """Rebuild from :meth:`to_dict` output."""
        values = dict(data)
        if values.get("features") is not None:
            values["features"] = tuple(values["features"])
        return cls(**values)


@dataclass(frozen=True)
class Persona:
    """A segment as a marketer would name it.

    Attributes:
        name: Short and unique within a run ("Affluent big spenders").
        description: One or two sentences from where the centroid stands.
        action: One concrete marketing action.
    """

    name: str
    description: str
    action: str


@dataclass(frozen=True)
class Segment:
    """One segment of a run.

    Attributes:
        number: 1-based, in the run's canonical order.
        size: Customers in it.
        share: Size over all customers, 0..1.
        persona: Its name, description and action.
        centroid: Feature -> centre, in original units.
        mean: Numeric column -> mean, in original units (every numeric column, not only
            features).
        median: Numeric column -> median.
        gender_mix: Gender -> share within the segment (empty without a gender column).
        top_attributes: Attribute column -> up to three ``(level, share)`` pairs.
        distance_quantiles: The 0th..100th percentiles of members' distances to the centre in
            standardised feature space (101 values), to place a customer as typical or not.
        quartiles: Numeric column -> ``(25th, 75th)`` percentile within the segment, for "mostly
            aged 25–40" style descriptions.
    """

    number: int
    size: int
    share: float
    persona: Persona
    centroid: dict[str, float]
    mean: dict[str, float] = field(default_factory=dict)
    median: dict[str, float] = field(default_factory=dict)
    gender_mix: dict[str, float] = field(default_factory=dict)
    top_attributes: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    distance_quantiles: tuple[float, ...] = ()
    quartiles: dict[str, tuple[float, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Segment:
        """Rebuild from :meth:`to_dict` output."""
        values = dict(data)
        values["persona"] = Persona(**values["persona"])
        values["top_attributes"] = {
            key: [(str(level), float(share)) for level, share in pairs]
            for key, pairs in values.get("top_attributes", {}).items()
        }
        values["distance_quantiles"] = tuple(values.get("distance_quantiles", ()))
        values["quartiles"] = {
            key: (float(pair[0]), float(pair[1]))
            for key, pair in values.get("quartiles", {}).items()
        }
        return cls(**values)


@dataclass(frozen=True)
class KChoice:
    """How the number of segments was decided.

    Attributes:
        k: The number used.
        auto: True when chosen automatically, False when the caller fixed it.
        criterion: The criterion's name (``"silhouette"``).
        scores: k -> criterion value for every k tried. When the caller fixed k the search
            still runs for reference (``auto`` is False), so a chart can show where that k
            stands; empty only when no search was possible.
        runner_up: The second-best k, or ``None`` (always ``None`` when the caller fixed k).
        runner_up_reason: Why the runner-up lost, machine-readable: ``"splits_a_group"`` (it
            splits one of the chosen segments in two), ``"merges_groups"`` (it merges two),
            ``"weaker_separation"``, or ``""``.
        sample_size: Rows the criterion was computed on.
        kept_previous: True when ``k`` is the caller's preferred k (``SegmentOptions.prefer_k``)
            although the runner-up scored a little higher; the runner-up is then the k the
            criterion alone would have taken.
        near: Other k whose score is about the same as the chosen one's (within
            ``segmentation.choose_k.NEAR_MARGIN``), in increasing order.
        at_edge: True when the automatic choice is the largest k tried.
    """

    k: int
    auto: bool
    criterion: str = "silhouette"
    scores: dict[int, float] = field(default_factory=dict)
    runner_up: int | None = None
    runner_up_reason: str = ""
    sample_size: int = 0
    kept_previous: bool = False
    near: tuple[int, ...] = ()
    at_edge: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict (k keys become strings)."""
        data = asdict(self)
        data["scores"] = {str(k): v for k, v in self.scores.items()}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KChoice:
        """Rebuild from :meth:`to_dict` output."""
        values = dict(data)
        values["scores"] = {int(k): float(v) for k, v in values.get("scores", {}).items()}
        values["near"] = tuple(int(k) for k in values.get("near", ()))
        return cls(**values)


@dataclass(frozen=True)
class Quality:
    """How good the partition is.

    Attributes:
        silhouette: Mean silhouette (on a fixed-seed sample for big tables), -1..1.
        davies_bouldin: Lower is better.
        calinski_harabasz: Higher is better.
        stability: Mean adjusted Rand index between the segments and k-means refitted on
            bootstrap resamples, 0..1 (``segmentation.structure``).
        reference: The silhouette k-means reaches at the same k on reference tables without
            groups (the highest of the references), NaN when unknown.
        verdict: ``clear``, ``moderate``, ``weak`` or ``none`` (no distinct groups); ``""``
            for runs stored before the check existed.
    """

    silhouette: float
    davies_bouldin: float
    calinski_harabasz: float
    stability: float
    reference: float = float("nan")
    verdict: str = ""

    @property
    def excess(self) -> float:
        """Silhouette minus reference: group structure beyond what no groups would show."""
        return self.silhouette - self.reference

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict."""
        return asdict(self)


@dataclass(frozen=True)
class Segmentation:
    """A fitted segmentation of one customer table.

    Attributes:
        options: What was asked.
        features: Columns clustered on, in order.
        scaler_mean: Per-feature mean used to standardise.
        scaler_scale: Per-feature scale used to standardise.
        centers: Per segment (in number order), the centre in standardised space.
        k_choice: How k was chosen.
        quality: Partition quality.
        segments: Segments in number order.
        assignments: Indexed by ``customer_id`` (text), columns ``segment`` (int, 1-based),
            ``distance`` (float, to its centre, standardised space) and ``runner_up`` (int, the
            next-nearest segment, 0 when k == 1).
        population: Numeric column -> its 0th..100th percentiles over all customers (101
            values), for lookups.
        labels: Column -> display label (from the table).
        units: Column -> unit (from the table).
        log_offsets: Per feature, ``c`` of the transform ``log(1 + x / c)`` it was clustered
            on, 0 when used as it is (``segmentation.features``); empty for older runs.
        left_out: Candidate columns left out of the default features because they add no
            group structure (``segmentation.structure.select_features``).
        unusual: Feature -> how many customers lie far outside the rest on it (more than
            ``segmentation.model.UNUSUAL_Z`` robust standard deviations). They were left out
            of the fit and placed in their nearest segment; ``assignments`` marks them.
        unusual_total: How many customers that is in all (one may be far out on two features).
    """

    options: SegmentOptions
    features: tuple[str, ...]
    scaler_mean: tuple[float, ...]
    scaler_scale: tuple[float, ...]
    centers: tuple[tuple[float, ...], ...]
    k_choice: KChoice
    quality: Quality
    segments: tuple[Segment, ...]
    assignments: pd.DataFrame
    population: dict[str, tuple[float, ...]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    log_offsets: tuple[float, ...] = ()
    left_out: tuple[str, ...] = ()
    unusual: dict[str, int] = field(default_factory=dict)
    unusual_total: int = 0

    @property
    def transformed(self) -> tuple[str, ...]:
        """Features clustered on their logarithm."""
        return tuple(f for f, c in zip(self.features, self.log_offsets, strict=False) if c > 0)

    def standardise(self, raw: np.ndarray) -> np.ndarray:
        """Rows of feature values in original units -> the standardised space of the fit."""
        values = forward(np.asarray(raw, dtype=np.float64), np.asarray(self.log_offsets))
        return (values - np.asarray(self.scaler_mean)) / np.asarray(self.scaler_scale)

    def to_original(self, standardised: np.ndarray) -> np.ndarray:
        """Points of the standardised space (such as centres) -> original units."""
        values = np.asarray(standardised, dtype=np.float64) * np.asarray(self.scaler_scale)
        return backward(values + np.asarray(self.scaler_mean), np.asarray(self.log_offsets))

    @property
    def k(self) -> int:
        """The number of segments."""
        return len(self.segments)

    def segment(self, number: int) -> Segment:
        """Return segment ``number`` (1-based).

        Raises:
            KeyError: No such segment.
        """
        for seg in self.segments:
            if seg.number == number:
                return seg
        raise KeyError(number)

    def summary_dict(self) -> dict[str, Any]:
        """Everything but the segments and assignments, JSON-safe."""
        return {
            "options": self.options.to_dict(),
            "features": list(self.features),
            "scaler_mean": list(self.scaler_mean),
            "scaler_scale": list(self.scaler_scale),
            "centers": [list(c) for c in self.centers],
            "k_choice": self.k_choice.to_dict(),
            "quality": self.quality.to_dict(),
            "population": {k: list(v) for k, v in self.population.items()},
            "labels": dict(self.labels),
            "units": dict(self.units),
            "log_offsets": list(self.log_offsets),
            "left_out": list(self.left_out),
            "unusual": dict(self.unusual),
            "unusual_total": self.unusual_total,
        }

    @classmethod
    def from_parts(
        cls,
        summary: dict[str, Any],
        segments: list[dict[str, Any]],
        assignments: pd.DataFrame,
    ) -> Segmentation:
        """Rebuild from :meth:`summary_dict`, ``Segment.to_dict`` values and assignments."""
        return cls(
            options=SegmentOptions.from_dict(summary["options"]),
            features=tuple(summary["features"]),
            scaler_mean=tuple(summary["scaler_mean"]),
            scaler_scale=tuple(summary["scaler_scale"]),
            centers=tuple(tuple(c) for c in summary["centers"]),
            k_choice=KChoice.from_dict(summary["k_choice"]),
            quality=Quality(**summary["quality"]),
            segments=tuple(
                sorted((Segment.from_dict(s) for s in segments), key=lambda s: s.number)
            ),
            assignments=assignments,
            population={k: tuple(v) for k, v in summary.get("population", {}).items()},
            labels=dict(summary.get("labels", {})),
            units=dict(summary.get("units", {})),
            log_offsets=tuple(float(c) for c in summary.get("log_offsets", ())),
            left_out=tuple(summary.get("left_out", ())),
            unusual={str(f): int(n) for f, n in summary.get("unusual", {}).items()},
            unusual_total=int(summary.get("unusual_total", 0)),
        )


TargetKind = Literal["grow", "retain", "reactivate", "monitor"]


@dataclass(frozen=True)
class TargetRank:
    """One segment's place in the targeting ranking.

    Attributes:
        rank: 1 is the top pick.
        number: The segment's number.
        score: The documented targeting score (higher is better), 0..1.
        kind: ``grow`` (room to spend more), ``retain`` (already spends a lot, keep them),
            ``reactivate`` (low spend, low means) or ``monitor``.
        drivers: The score's components by name (e.g. ``{"headroom": 0.7, "means": 0.9,
            "size": 0.2}``), each 0..1, for the reason line.
        basis: The columns ``spend`` and ``means`` rest on (e.g. ``{"spend": ("score",),
            "means": ("income",)}``); an empty or missing entry means the file has no such
            column and the driver is a fallback, not a measurement to speak of.
    """

    rank: int
    number: int
    score: float
    kind: TargetKind
    drivers: dict[str, float]
    basis: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class CustomerLookup:
    """Where one customer stands.

    Attributes:
        customer_id: The id as stored.
        segment: Its segment number.
        runner_up: The next-nearest segment number (0 when k == 1).
        typicality: Percentile of its distance among the segment's members, 0..100
            (0 = closest to the centre, i.e. most typical).
        values: Numeric column -> the customer's value.
        percentiles: Numeric column -> the customer's percentile in the whole population, 0..100.
        attributes: Text column -> the customer's value.
    """

    customer_id: str
    segment: int
    runner_up: int
    typicality: float
    values: dict[str, float]
    percentiles: dict[str, float]
    attributes: dict[str, str] = field(default_factory=dict)
