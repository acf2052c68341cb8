"""The segmentation engine: read customer CSV bytes, segment, name personas, rank, plot.

This is the engine's public face: the bot imports these names from ``segmentation`` only,
never from a submodule, so the modules behind it can move without the bot noticing.
"""

from segmentation.answers import (
    Count,
    Statistic,
    StatKind,
    attribute_levels,
    column_statistic,
    count_customers,
    income_column,
    numeric_columns,
    spend_column,
    top_customers,
    top_customers_csv,
    where_they_went,
)
from segmentation.audience import audience_name, contact_columns, segment_audience_csv
from segmentation.charts import (
    render_k_chart_png,
    render_profile_png,
    render_scatter_png,
    render_transitions_png,
)
from segmentation.display import friendly_label, one_day, unit_affixes, whole_percents
from segmentation.errors import EngineError, IngestError, SegmentationError
from segmentation.export import assignments_csv
from segmentation.features import feature_columns
from segmentation.features import is_level as is_level_feature
from segmentation.features import level_parts as level_feature_parts
from segmentation.ingest import (
    CANONICAL_NUMERIC,
    ID_AS_WRITTEN,
    MEANINGS,
    ColumnRole,
    CustomerTable,
    IngestLimits,
    MeaningNote,
    Receipt,
    check_meanings,
    is_xlsx,
    load_customers,
    normalise_id,
    rebuild_table,
    update_meanings,
)
from segmentation.ingest.combine import combinable, combine
from segmentation.ingest.notes import say_note as receipt_note
from segmentation.ingest.purchases import PURCHASE_COLUMNS, RFM_SCORES
from segmentation.ingest.purchases import summary_line as purchase_summary
from segmentation.lookup import lookup_customer
from segmentation.model import MAX_K, MIN_K, segment_customers
from segmentation.movement import (
    Alignment,
    Comparison,
    align_segments,
    compare_segmentations,
    moved_csv,
    segment_lineage,
)
from segmentation.movement_compare import DRIFT_SD, why_not_followed
from segmentation.persona_words import localise as localise_persona
from segmentation.purchase_moves import PurchaseMoves, purchase_moves
from segmentation.report import (
    TYPICAL_COUNT,
    Block,
    ReportDocument,
    ReportPage,
    render_report_pdf,
    typical_customers,
)
from segmentation.result import (
    CustomerLookup,
    KChoice,
    Persona,
    Quality,
    Segment,
    Segmentation,
    SegmentOptions,
    TargetRank,
)
from segmentation.sample import purchase_log_csv, sample_csv
from segmentation.targeting import (
    GOALS,
    close_call,
    rank_for_goal,
    rank_targets,
    revenue_by_segment,
)
from segmentation.threads import limit_blas_for_process
from segmentation.words import ENGLISH, N_, Number, Text, Words
from segmentation.workbook import assignments_xlsx, sheet_names

__all__ = [
    "CANONICAL_NUMERIC",
    "DRIFT_SD",
    "ENGLISH",
    "GOALS",
    "ID_AS_WRITTEN",
    "MAX_K",
    "MEANINGS",
    "MIN_K",
    "N_",
    "PURCHASE_COLUMNS",
    "RFM_SCORES",
    "TYPICAL_COUNT",
    "Alignment",
    "Block",
    "ColumnRole",
    "Comparison",
    "Count",
    "CustomerLookup",
    "CustomerTable",
    "EngineError",
    "IngestError",
    "IngestLimits",
    "KChoice",
    "MeaningNote",
    "Number",
    "Persona",
    "PurchaseMoves",
    "Quality",
    "Receipt",
    "ReportDocument",
    "ReportPage",
    "Segment",
    "SegmentOptions",
    "Segmentation",
    "SegmentationError",
    "StatKind",
    "Statistic",
    "TargetRank",
    "Text",
    "Words",
    "align_segments",
    "assignments_csv",
    "assignments_xlsx",
    "attribute_levels",
    "audience_name",
    "check_meanings",
    "close_call",
    "column_statistic",
    "combinable",
    "combine",
    "compare_segmentations",
    "contact_columns",
    "count_customers",
    "feature_columns",
    "friendly_label",
    "income_column",
    "is_level_feature",
    "is_xlsx",
    "level_feature_parts",
    "limit_blas_for_process",
    "load_customers",
    "localise_persona",
    "lookup_customer",
    "moved_csv",
    "normalise_id",
    "numeric_columns",
    "one_day",
    "purchase_log_csv",
    "purchase_moves",
    "purchase_summary",
    "rank_for_goal",
    "rank_targets",
    "rebuild_table",
    "receipt_note",
    "render_k_chart_png",
    "render_profile_png",
    "render_report_pdf",
    "render_scatter_png",
    "render_transitions_png",
    "revenue_by_segment",
    "sample_csv",
    "segment_audience_csv",
    "segment_customers",
    "segment_lineage",
    "sheet_names",
    "spend_column",
    "top_customers",
    "top_customers_csv",
    "typical_customers",
    "unit_affixes",
    "update_meanings",
    "where_they_went",
    "whole_percents",
    "why_not_followed",
]
