"""A printable report of a segmentation: plain content values and their A4 PDF."""

from segmentation.report.document import (
    Block,
    ReportDocument,
    ReportPage,
)
from segmentation.report.pdf import render_report_pdf
from segmentation.report.typical import TYPICAL_COUNT, typical_customers

__all__ = [
    "TYPICAL_COUNT",
    "Block",
    "ReportDocument",
    "ReportPage",
    "render_report_pdf",
    "typical_customers",
]
