"""Phone-readable PNG charts (``matplotlib.figure.Figure`` + Agg, never pyplot).

``style`` holds the shared look (size, fonts, the Okabe–Ito palette); ``scatter``, ``k_choice``
and ``profile`` draw a segmentation; ``movement`` draws two uploads compared.
"""

from segmentation.charts.k_choice import render_k_chart_png
from segmentation.charts.movement import render_transitions_png
from segmentation.charts.profile import render_profile_png
from segmentation.charts.scatter import render_scatter_png

__all__ = [
    "render_k_chart_png",
    "render_profile_png",
    "render_scatter_png",
    "render_transitions_png",
]
