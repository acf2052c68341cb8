"""The answers of /plot: which charts there are."""

from __future__ import annotations

from bot.i18n import _


def plot_usage() -> str:
    """Answer /plot with an unknown name."""
    return _("Which plot? /plot scatter, /plot k, /plot profile, or /plot all for the three.")


def plots_menu() -> str:
    """Offer the plots."""
    return _("Which plot would you like?")
