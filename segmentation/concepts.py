"""Familiar kinds of column (cash advance, recency, family size …) and the persona each suggests."""

from __future__ import annotations

import re
from collections.abc import Mapping

from segmentation.display import friendly_label

#: Patterns of the kinds of column that describe behaviour (what customers do, not who they are)
#: and of the one that measures spending; the table below uses them.
RECENCY = r"recency|days since"
DEALS = r"deals?|discounts?|coupons?"
VISITS = r"visits?"
FREQUENCY = r"frequency|transactions|number of purchases"
SPEND = r"purchases?|spend(?:ing)?|amount|sales|revenue|monetary"
BEHAVIOUR = frozenset({RECENCY, VISITS, FREQUENCY, DEALS})

#: Names for segments that stand out on a familiar kind of column (first match wins):
#: pattern on the column's friendly label, name when high, name when low ("" = nothing to
#: say), action when high, action when low.
CONCEPTS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        r"cash advance",
        "Cash-advance users",
        "",
        "Offer them a lower-rate instalment plan in place of cash advances.",
        "",
    ),
    (
        RECENCY,
        "Lapsed customers",
        "Recent buyers",
        "Send a win-back offer with a clear deadline.",
        "Follow up while they are engaged: recommendations based on their last purchase.",
    ),
    (
        r"tenure|years? as customer|member since",
        "Long-standing customers",
        "Newcomers",
        "Thank them with a loyalty anniversary reward.",
        "Welcome them with an onboarding series and a second-purchase offer.",
    ),
    (
        r"credit limit",
        "High-limit customers",
        "Low-limit customers",
        "Offer premium cards and services that match their limit.",
        "Offer a limit review to those who pay on time.",
    ),
    (
        r"balance",
        "High-balance customers",
        "Low-balance customers",
        "Offer balance-transfer and instalment options that keep them with you.",
        "Encourage everyday use with a cashback offer.",
    ),
    (
        r"payments?",
        "Big payers",
        "Light payers",
        "Reward their reliable payments with a loyalty tier.",
        "Remind them of payment options and due dates.",
    ),
    (
        r"family size|household|kids?|children|teens?",
        "Large families",
        "Small households",
        "Offer family bundles and kids' events.",
        "Offer singles' and couples' deals and smaller pack sizes.",
    ),
    (
        r"experience",
        "Experienced professionals",
        "Early-career customers",
        "Offer premium, time-saving services.",
        "Offer starter deals that grow with them.",
    ),
    (
        DEALS,
        "Deal hunters",
        "Full-price buyers",
        "Keep them coming with flash sales and member-only deals.",
        "Lead with new arrivals and quality, not discounts.",
    ),
    (
        r"web|online",
        "Online shoppers",
        "",
        "Reach them with email and app offers tied to the web shop.",
        "",
    ),
    (
        r"catalog(?:ue)?",
        "Catalogue shoppers",
        "",
        "Send the new catalogue first, with a personal offer inside.",
        "",
    ),
    (
        r"store",
        "In-store shoppers",
        "",
        "Invite them to in-store events and offer click-and-collect.",
        "",
    ),
    (
        VISITS,
        "Frequent visitors",
        "Rare visitors",
        "Turn their visits into purchases with personal in-store offers.",
        "Give them a reason to come back: a time-limited voucher.",
    ),
    (
        FREQUENCY,
        "Frequent buyers",
        "Occasional buyers",
        "Reward their frequent purchases with points and early access.",
        "Test a time-limited voucher to bring them back more often.",
    ),
    (
        SPEND,
        "Big spenders",
        "Light spenders",
        "Keep them loyal with a VIP tier and early access to new products.",
        "Test a first-step offer to raise their spending.",
    ),
)


def concept_of(feature: str, labels: Mapping[str, str]) -> tuple[str, str, str, str, str] | None:
    """The familiar kind of column a feature is, from its label, or ``None``."""
    label = friendly_label(feature, labels)
    for concept in CONCEPTS:
        if re.search(rf"\b(?:{concept[0]})\b", label):
            return concept
    return None
