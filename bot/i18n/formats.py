"""Numbers, shares, money and dates written the way the current language writes them."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from bot.i18n.context import current_language


def number(value: float, digits: int = 0, *, language: str | None = None) -> str:
    """``1234.5`` -> ``1,234.5`` in English, ``1 234,5`` in Russian (``digits`` decimals), in
    ``language`` or else the current one."""
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=language or current_language())


def share(fraction: float) -> str:
    """A share of a whole: ``0.184`` -> ``18%`` in English, ``18 %`` in Russian."""
    return format_percent(fraction, locale=current_language())


def day(when: dt.date) -> str:
    """A date in the language's medium form: ``3 Dec 2026``, ``3 дек. 2026 г.``."""
    return format_date(when, format="medium", locale=current_language())


def moment(when: dt.datetime) -> str:
    """A date and time in the language's short form."""
    return format_datetime(when, format="short", locale=current_language())
