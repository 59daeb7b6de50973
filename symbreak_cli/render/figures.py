"""The plotting toolkit every plot shares: house style, Agg figures, log axes, SVG/PNG.

Plots are drawn on an Agg canvas without pyplot (:func:`new_figure`), so nothing global
(backend, open-figure list) is touched; matplotlib is imported only inside functions, so
importing this module costs nothing. Which plot kinds exist is decided in
:mod:`symbreak_cli.render.registry`; the plot functions are in :mod:`.plots` (generic
kinds) and :mod:`.plots_train` (training).

>>> power_of_ten(1e-3), power_of_ten(1.0), power_of_ten(3.0)
('10⁻³', '1', '')
>>> slug("Loss curves (relaxed)")
'loss-curves-relaxed'
"""

from __future__ import annotations

import base64
import contextlib
import io
import math
from typing import Any, Iterator

# One palette for every plot, so the page reads as one document.
COLORS = ("#1f5f99", "#d1495b", "#2e8b57", "#e09f3e", "#6c4f9c", "#5c6b73")
HIGHLIGHT = "#d1495b"
MUTED = "#8a96a3"

_RC = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"],
    "font.size": 9.5,
    "axes.titlesize": 10.5,
    "axes.labelsize": 9.5,
    "axes.edgecolor": "#5c6b73",
    "axes.labelcolor": "#26323d",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "grid.color": "#e3e8ee",
    "grid.linewidth": 0.7,
    "xtick.color": "#26323d",
    "ytick.color": "#26323d",
    "legend.frameon": False,
    "svg.fonttype": "none",  # text stays text: smaller, selectable, searchable
    "svg.hashsalt": "symbreak",  # stable element ids, so output is reproducible
}


@contextlib.contextmanager
def house_style() -> Iterator[None]:
    """The rcParams shared by every plot (applied by :func:`symbreak_cli.render.plots.make_figure`)."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        yield


def new_figure(width: float = 6.4, height: float = 3.4, nrows: int = 1, ncols: int = 1, **subplot_kw: Any):
    """A Figure on an Agg canvas (no pyplot) and its axes, sized in inches.

    Returns
    -------
    (Figure, Axes or ndarray of Axes)
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, subplot_kw=subplot_kw or None)
    # grid per axes, not in the rcParams: images and maps (e.g. plots_train.learned_signal)
    # drawn under house_style() must not get grid lines across them
    for ax in getattr(axes, "flat", [axes]):
        ax.grid(True)
    return fig, axes


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_of_ten(x: float, _pos: Any = None) -> str:
    """Tick label '10⁻³' in plain Unicode: no mathtext parsing, which would otherwise be
    most of the time spent drawing a log axis.
    """
    if x <= 0:
        return ""
    e = math.log10(x)
    if abs(e - round(e)) > 1e-9:
        return ""
    return "1" if round(e) == 0 else f"10{str(int(round(e))).translate(_SUPERSCRIPT)}"


def log_axis(axis) -> None:
    """Log scale on ``ax.xaxis`` or ``ax.yaxis`` with plain-text decade labels."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    (axis.axes.set_xscale if axis is axis.axes.xaxis else axis.axes.set_yscale)("log")
    axis.set_major_locator(LogLocator(base=10))
    axis.set_major_formatter(FuncFormatter(power_of_ten))
    axis.set_minor_formatter(NullFormatter())




#: crop to the drawn artists: figures without a layout engine keep their labels
TIGHT = {"bbox_inches": "tight", "pad_inches": 0.06}


def _strip_svg_prolog(svg: str) -> str:
    """Keep only the ``<svg>`` element, without metadata or namespace URLs, so it can be
    inlined in HTML (the HTML parser puts ``<svg>`` in the SVG namespace by itself).
    """
    import re

    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", svg)
    # matplotlib's "*{stroke-linejoin…}" would style the whole HTML page: scope it
    svg = svg.replace('<style type="text/css">*{', '<style type="text/css">svg *{', 1)
    return svg.strip()


def figure_to_svg(fig) -> str:
    """The figure as an ``<svg>`` element string, ready to inline in HTML."""
    buf = io.StringIO()
    with house_style():
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, facecolor="white", **TIGHT)
    return _strip_svg_prolog(buf.getvalue())


def figure_to_png_bytes(fig, dpi: int = 144) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, facecolor="white", **TIGHT)
    return buf.getvalue()


def figure_to_png_base64(fig, dpi: int = 144) -> str:
    """The figure as base64 PNG (no ``data:`` prefix)."""
    return base64.b64encode(figure_to_png_bytes(fig, dpi)).decode("ascii")


#: metadata that would make files differ from run to run (dates, tool versions), per format
_NO_STAMPS = {"svg": {"Date": None, "Creator": None}, "png": {"Software": None}, "pdf": {"CreationDate": None}}


def figure_to_file_bytes(fig, fmt: str, dpi: int = 144) -> bytes:
    """A standalone ``png``, ``svg`` or ``pdf`` file's bytes (an SVG keeps its XML prolog
    and namespaces, as a file must); reproducible: no dates or tool stamps.
    """
    buf = io.BytesIO()
    with house_style():
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=_NO_STAMPS[fmt], facecolor="white", **TIGHT)
    return buf.getvalue()


def slug(text: str) -> str:
    """A file-name-safe version of a title: 'Loss curves (relaxed)' -> 'loss-curves-relaxed'."""
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "plot"


