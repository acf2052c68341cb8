"""The answers of /plot: which charts there are."""

from __future__ import annotations


def plot_usage() -> str:
    """Answer /plot with an unknown name."""
    return "Which plot? /plot scatter, /plot k, /plot profile, or /plot all for the three."


def plots_menu() -> str:
    """Offer the plots."""
    return "Which plot would you like?"
