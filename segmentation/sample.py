"""A synthetic, mall-like customer file for the demo, the tests and the benchmarks."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The classic mall file's header, column for column.
SAMPLE_COLUMNS: tuple[str, ...] = (
    "CustomerID",
    "Gender",
    "Age",
    "Annual Income (k$)",
    "Spending Score (1-100)",
)

#: Centres of the classic mall file's five groups: (annual income in k$, spending score).
CLASSIC_CENTRES: dict[str, tuple[float, float]] = {
    "middle": (55.0, 50.0),
    "affluent": (87.0, 82.0),
    "careful": (88.0, 17.0),
    "frugal": (26.0, 21.0),
    "young": (26.0, 79.0),
}

# One row per group: share, income mean/sd (k$), score mean/sd, age mean/sd, share of women.
# Shaped like the Kaggle mall file: a big average middle and four corners of income × score.
_GROUPS = np.array(
    [
        # share  inc   sd   score sd   age   sd   female
        [0.40, 55.0, 7.0, 50.0, 6.0, 44.0, 14.0, 0.58],  # average income, average spending
        [0.20, 87.0, 12.0, 82.0, 8.0, 32.0, 4.0, 0.54],  # high income, big spenders
        [0.17, 88.0, 13.0, 17.0, 9.0, 41.0, 11.0, 0.46],  # high income, careful spenders
        [0.115, 26.0, 7.0, 21.0, 11.0, 45.0, 13.0, 0.60],  # low income, low spending
        [0.115, 26.0, 7.0, 79.0, 10.0, 25.0, 5.0, 0.59],  # low income, young big spenders
    ]
)


def sample_frame(n: int = 200, seed: int = 7) -> pd.DataFrame:
    """Return ``n`` synthetic mall customers with the classic five columns.

    Args:
        n: Number of customers (any size; a million rows take well under a second).
        seed: Seed of the random generator; the same seed gives the same customers.

    Returns:
        A frame with columns ``CustomerID`` (zero-padded text such as ``"0001"``), ``Gender``
        (``Female``/``Male``), ``Age``, ``Annual Income (k$)`` and ``Spending Score (1-100)``
        (integers), sorted by income like the published file.

    Raises:
        ValueError: If ``n`` is negative.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    rng = np.random.default_rng(seed)
    shares = _GROUPS[:, 0] / _GROUPS[:, 0].sum()
    counts = np.floor(shares * n).astype(np.int64)
    counts[0] += n - int(counts.sum())
    group = rng.permutation(np.repeat(np.arange(len(_GROUPS)), counts))
    params = _GROUPS[group]
    income = np.clip(np.rint(rng.normal(params[:, 1], params[:, 2])), 15, 140)
    score = np.clip(np.rint(rng.normal(params[:, 3], params[:, 4])), 1, 99)
    age = np.clip(np.rint(rng.normal(params[:, 5], params[:, 6])), 18, 70)
    female = rng.random(n) < params[:, 7]
    order = np.argsort(income, kind="stable")
    width = max(4, len(str(n)))
    ids = pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(width)
    return pd.DataFrame(
        {
            "CustomerID": ids.to_numpy(),
            "Gender": np.where(female[order], "Female", "Male"),
            "Age": age[order].astype(np.int64),
            "Annual Income (k$)": income[order].astype(np.int64),
            "Spending Score (1-100)": score[order].astype(np.int64),
        },
        columns=list(SAMPLE_COLUMNS),
    )


def sample_csv(n: int = 200, seed: int = 7) -> bytes:
    """Return :func:`sample_frame` as UTF-8 CSV bytes (comma, LF line endings, header first).

    Args:
        n: Number of customers.
        seed: Seed of the random generator.

    Returns:
        The CSV file's bytes; about 22 bytes a customer (900,000 customers ≈ 20 MB).
    """
    return sample_frame(n, seed).to_csv(index=False, lineterminator="\n").encode("utf-8")


#: The planted groups of the synthetic purchase log, one row each: share of customers, days
#: since the last purchase (low, high), orders in the year (mean), average order value,
#: days since the first purchase (low, high).
PURCHASE_GROUPS: dict[str, tuple[float, tuple[int, int], float, float, tuple[int, int]]] = {
    "champions": (0.15, (1, 12), 110.0, 85.0, (300, 364)),
    "loyal": (0.20, (15, 60), 44.0, 45.0, (250, 364)),
    "new": (0.15, (1, 30), 8.0, 40.0, (1, 45)),
    "at risk": (0.20, (120, 200), 30.0, 50.0, (280, 364)),
    "hibernating": (0.30, (230, 340), 5.0, 25.0, (240, 364)),
}
#: The last day of the synthetic log (its year runs up to this day).
LOG_END = pd.Timestamp("2025-12-30")


def purchase_log_frame(customers: int = 2_000, seed: int = 5) -> tuple[pd.DataFrame, pd.Series]:
    """A synthetic purchase export with planted RFM groups, and each customer's group.

    One row per purchase: ``Invoice`` (``C…`` for a cancellation), ``Customer ID``,
    ``Invoice Date`` (ISO), ``Amount`` (negative for a return), ``Store`` and ``Gender`` (the
    customer's own, the same on every row). About 2% of purchases are returned (a second row
    with the negative amount), 1% cancelled, and a few rows carry an unreadable date or amount,
    as real exports do.

    Args:
        customers: Number of customers (about 25 purchases each on average: 2,000 customers
            make a year of about 50,000 purchases).
        seed: Seed of the random generator.

    Returns:
        The log, sorted by date, and the planted group of every customer id.
    """
    rng = np.random.default_rng(seed)
    names = list(PURCHASE_GROUPS)
    shares = np.array([PURCHASE_GROUPS[g][0] for g in names])
    counts = np.floor(shares / shares.sum() * customers).astype(np.int64)
    counts[0] += customers - int(counts.sum())
    group = rng.permutation(np.repeat(np.arange(len(names)), counts))
    ids = [f"{100_000 + i}" for i in range(customers)]
    stores = np.array(["Central", "North", "Riverside", "Airport"])
    rows: list[tuple[str, str, pd.Timestamp, float, str]] = []
    genders = rng.choice(["F", "M"], customers)
    invoice = 500_000
    for index, g in enumerate(group):
        _, last_days, orders, value, first_days = PURCHASE_GROUPS[names[g]]
        last = int(rng.integers(last_days[0], last_days[1] + 1))
        first = max(last, int(rng.integers(first_days[0], first_days[1] + 1)))
        n = max(1, int(rng.poisson(orders * (first - last + 1) / 365)) + 1)
        n = min(n, first - last + 1)
        days = np.sort(rng.choice(np.arange(last, first + 1), size=n, replace=False))
        days[0], days[-1] = last, first
        store = stores[rng.integers(0, len(stores))]
        for day in days:
            amount = round(float(value * np.exp(rng.normal(0.0, 0.35))), 2)
            where = store if rng.random() < 0.8 else stores[rng.integers(0, len(stores))]
            invoice += 1
            date = LOG_END - pd.Timedelta(days=int(day) - 1)
            rows.append((str(invoice), ids[index], date, amount, str(where)))
            if rng.random() < 0.02:  # returned later in full
                invoice += 1
                rows.append((str(invoice), ids[index], date, -amount, str(where)))
            elif rng.random() < 0.01:  # cancelled on the day
                invoice += 1
                rows.append((f"C{invoice}", ids[index], date, -amount, str(where)))
    frame = pd.DataFrame(
        rows, columns=["Invoice", "Customer ID", "Invoice Date", "Amount", "Store"]
    )
    frame["Gender"] = frame["Customer ID"].map(dict(zip(ids, genders, strict=True)))
    frame = frame.sort_values(["Invoice Date", "Invoice"], kind="stable").reset_index(drop=True)
    frame["Invoice Date"] = frame["Invoice Date"].dt.strftime("%Y-%m-%d").astype(object)
    frame["Amount"] = frame["Amount"].map(lambda v: f"{v:.2f}").astype(object)
    broken = rng.choice(len(frame), size=6, replace=False)
    frame.loc[broken[:3], "Invoice Date"] = "not recorded"
    frame.loc[broken[3:], "Amount"] = "n/a"
    truth = pd.Series(np.array(names)[group], index=ids, name="group")
    return frame, truth


def purchase_log_csv(customers: int = 2_000, seed: int = 5) -> bytes:
    """:func:`purchase_log_frame` as UTF-8 CSV bytes (comma, LF)."""
    frame, _ = purchase_log_frame(customers, seed)
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
