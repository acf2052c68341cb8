"""Familiar kinds of column (cash advance, recency, family size …) and the persona each suggests."""

from __future__ import annotations

import re
from collections.abc import Mapping

from segmentation.display import friendly_label
from segmentation.ingest.glossary import english_words
from segmentation.words import N_

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
#: say), action when high, action when low. Names and actions are marked for translation.
CONCEPTS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        r"cash advance",
        N_("Cash-advance users"),
        "",
        N_("Offer them a lower-rate instalment plan in place of cash advances."),
        "",
    ),
    (
        RECENCY,
        N_("Lapsed customers"),
        N_("Recent buyers"),
        N_("Send a win-back offer with a clear deadline."),
        N_("Follow up while they are engaged: recommendations based on their last purchase."),
    ),
    (
        r"tenure|years? as customer|member since",
        N_("Long-standing customers"),
        N_("Newcomers"),
        N_("Thank them with a loyalty anniversary reward."),
        N_("Welcome them with an onboarding series and a second-purchase offer."),
    ),
    (
        r"credit limit",
        N_("High-limit customers"),
        N_("Low-limit customers"),
        N_("Offer premium cards and services that match their limit."),
        N_("Offer a limit review to those who pay on time."),
    ),
    (
        r"balance",
        N_("High-balance customers"),
        N_("Low-balance customers"),
        N_("Offer balance-transfer and instalment options that keep them with you."),
        N_("Encourage everyday use with a cashback offer."),
    ),
    (
        r"payments?",
        N_("Big payers"),
        N_("Light payers"),
        N_("Reward their reliable payments with a loyalty tier."),
        N_("Remind them of payment options and due dates."),
    ),
    (
        r"family size|household|kids?|children|teens?",
        N_("Large families"),
        N_("Small households"),
        N_("Offer family bundles and kids' events."),
        N_("Offer singles' and couples' deals and smaller pack sizes."),
    ),
    (
        r"experience",
        N_("Experienced professionals"),
        N_("Early-career customers"),
        N_("Offer premium, time-saving services."),
        N_("Offer starter deals that grow with them."),
    ),
    (
        DEALS,
        N_("Deal hunters"),
        N_("Full-price buyers"),
        N_("Keep them coming with flash sales and member-only deals."),
        N_("Lead with new arrivals and quality, not discounts."),
    ),
    (
        r"web|online",
        N_("Online shoppers"),
        "",
        N_("Reach them with email and app offers tied to the web shop."),
        "",
    ),
    (
        r"catalog(?:ue)?",
        N_("Catalogue shoppers"),
        "",
        N_("Send the new catalogue first, with a personal offer inside."),
        "",
    ),
    (
        r"store",
        N_("In-store shoppers"),
        "",
        N_("Invite them to in-store events and offer click-and-collect."),
        "",
    ),
    (
        VISITS,
        N_("Frequent visitors"),
        N_("Rare visitors"),
        N_("Turn their visits into purchases with personal in-store offers."),
        N_("Give them a reason to come back: a time-limited voucher."),
    ),
    (
        FREQUENCY,
        N_("Frequent buyers"),
        N_("Occasional buyers"),
        N_("Reward their frequent purchases with points and early access."),
        N_("Test a time-limited voucher to bring them back more often."),
    ),
    (
        SPEND,
        N_("Big spenders"),
        N_("Light spenders"),
        N_("Keep them loyal with a VIP tier and early access to new products."),
        N_("Test a first-step offer to raise their spending."),
    ),
)


def concept_of(feature: str, labels: Mapping[str, str]) -> tuple[str, str, str, str, str] | None:
    """The familiar kind of column a feature is, from its label, or ``None``."""
    label = friendly_label(feature, labels)
    # A header in another language is matched by its English words (``Besuche`` -> visits).
    label = f"{label} {english_words(label)}"
    for concept in CONCEPTS:
        if re.search(rf"\b(?:{concept[0]})\b", label):
            return concept
    return None
