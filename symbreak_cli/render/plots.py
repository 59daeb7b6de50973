"""The one plots module: every report plot is ``fn(data: dict) -> matplotlib Figure``.

A :class:`~symbreak_cli.render.sections.PlotBlock` names its plot by ``kind``; the HTML
renderer and the ``--plots`` writers look that kind up here with :func:`get_plot`.

* :data:`PLOTS` holds the generic kinds (``ladder``, ``bars``, ``lines``).
* Any other kind is looked up at call time in the ``plots_*.py`` modules beside this
  one (``loss_curves`` in ``plots_train.py``; ``<prefix>_<name>`` tries
  ``plots_<prefix>.py`` first): their ``PLOTS`` dict, else their public functions. A new
  report kind therefore adds its plots in its own module without editing this one.

matplotlib is imported only inside functions, and figures are drawn on an Agg canvas
without pyplot, so nothing global (backend, open-figure list) is touched.

>>> fig = make_figure("ladder", {"tolerance": [1e-5, 1e-3, 0.1], "number": [99, 99, 221],
...                               "symbol": ["P4mm", "P4mm", "Pm-3m"]})
>>> figure_to_svg(fig).startswith("<svg")
True
"""

from __future__ import annotations

import base64
import contextlib
import importlib
import io
import math
import sys
from pathlib import Path
from typing import Any, Callable, Iterator

from symbreak_cli.errors import InputError, OutputError

PlotFn = Callable[[dict[str, Any]], Any]

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
    """RcParams shared by every plot (applied by :func:`make_figure`)."""
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
    # grid per axes, not in the rcParams: images and maps from other plots_* modules
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


# ------------------------------------------------------------------------------------
# generic plot kinds
# ------------------------------------------------------------------------------------
# the detect report's own field names, accepted as synonyms
_LADDER_ALIASES = {"tolerance_A": "tolerance", "group": "symbol", "structure": "label"}


def _ladder_series(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Normalise the accepted ladder layouts to a list of column-wise series."""
    if "series" in data:
        return [_ladder_series(s)[0] for s in data["series"]]
    data = {_LADDER_ALIASES.get(k, k): v for k, v in data.items()}
    if "steps" in data:  # list of {"tolerance", "number", "symbol"[, "order"]}
        steps = [{_LADDER_ALIASES.get(k, k): v for k, v in s.items()} for s in data["steps"]]
        cols = {k: [s.get(k) for s in steps] for k in ("tolerance", "number", "symbol", "order")}
        return [{**{k: v for k, v in data.items() if k != "steps"}, **cols}]
    return [data]


def ladder(data: dict[str, Any]):
    """Tolerance-ladder step plot: the group found at each tolerance.

    Parameters
    ----------
    data
        ``tolerance`` (Å, ascending), ``number`` (space-group number, 1–230) and
        ``symbol`` (Hermann–Mauguin) — equal-length lists, ``None`` where no group was
        found — or ``order`` instead of ``number`` (point groups: the group order).
        Optional: ``symprec`` (Å, the tolerance of the main answer, drawn as a dashed
        line), ``label`` (legend entry), ``title``. Also accepted: ``steps`` (a list of
        ``{"tolerance", "number", "symbol"}`` dicts) or ``series`` (a list of such
        dicts, one line each, e.g. several structures). The detect report's names
        ``tolerance_A``, ``group`` and ``structure`` are synonyms of ``tolerance``,
        ``symbol`` and ``label``.

    The group holds from its tolerance up to the next step, so the line is drawn
    ``steps-post``; the y ticks are the groups reached, labelled ``HM (number)``.
    """
    series = _ladder_series(data)
    use_order = all(not any(v is not None for v in (s.get("number") or [])) for s in series)
    ykey = "order" if use_order else "number"
    lines_: list[tuple[str | None, list[tuple[float, tuple[float, str], str | None]]]] = []
    names: dict[tuple[float, str], str] = {}
    for s in series:
        syms = s.get("symbol") or [None] * len(s.get("tolerance") or [])
        ys = s.get(ykey) or [None] * len(syms)
        # a named group without an order is a continuous one (linear molecule: C∞v, D∞h)
        ys = [math.inf if y is None and ykey == "order" and sym else y for y, sym in zip(ys, syms)]
        # a level per (number or order, symbol): point groups of one order can differ
        pts = sorted(
            (float(t), (float(y), sym or ""), sym)
            for t, y, sym in zip(s.get("tolerance") or [], ys, syms)
            if t is not None and y is not None and t > 0
        )
        for _, key, sym in pts:
            num = "∞" if math.isinf(key[0]) else str(int(key[0]))
            names[key] = f"{sym} ({num})" if sym else num
        if pts:
            lines_.append((s.get("label"), pts))
    fig, ax = new_figure(6.8, max(2.6, 1.6 + 0.32 * len(names)))
    if not lines_:
        ax.text(0.5, 0.5, "no group found at any tolerance", ha="center", va="center", transform=ax.transAxes, color=MUTED)
        ax.set_axis_off()
        return fig
    # Groups sit on evenly spaced levels in order of their number (or order), so close
    # numbers (Pm-3m 221, Fm-3m 225) never overprint; the tick labels carry the numbers.
    level = {y: i for i, y in enumerate(sorted(names))}
    tol_all = [t for _, pts in lines_ for t, _, _ in pts]
    for i, (label, pts) in enumerate(lines_):
        xs = [t for t, _, _ in pts] + [max(tol_all) * 1.6]
        ys = [level[y] for _, y, _ in pts]
        ys.append(ys[-1])
        color = COLORS[i % len(COLORS)]
        ax.step(xs, ys, where="post", color=color, lw=2, label=label)
        ax.plot(xs[:-1], ys[:-1], "o", color=color, ms=4.5, mec="white", mew=0.8, zorder=3)
    log_axis(ax.xaxis)
    ax.set_xlim(min(tol_all) / 1.6, max(tol_all) * 1.6)
    ax.set_yticks(range(len(level)), [names[y] for y in sorted(names)])
    ax.set_ylim(-0.5, len(level) - 0.5)
    symprec = data.get("symprec")
    if symprec:
        ax.axvline(float(symprec), color=MUTED, ls="--", lw=1)
        ax.annotate("symprec", (float(symprec), 1.0), xycoords=("data", "axes fraction"),
                    xytext=(3, -2), textcoords="offset points", va="top", fontsize=8, color=MUTED)
    ax.set_xlabel("tolerance (Å)")
    ax.set_ylabel("point group (by order)" if use_order else "space group (by number)")
    if data.get("title"):
        ax.set_title(data["title"], loc="left")
    if len(lines_) > 1 and any(label for label, _ in lines_):
        ax.legend(loc="best", fontsize=8)
    return fig


def bars(data: dict[str, Any]):
    """Bar chart: ``labels``, ``values``; optional ``highlight`` (indices drawn in the
    highlight colour), ``ylabel``, ``title``, ``log`` (log y axis), ``errors``.
    """
    labels = [str(x) for x in data.get("labels", [])]
    values = [float(v) for v in data.get("values", [])]
    hl = set(data.get("highlight", []))
    fig, ax = new_figure(max(4.0, min(10.0, 1.2 + 0.45 * len(labels))), 3.2)
    colors = [HIGHLIGHT if i in hl else COLORS[0] for i in range(len(values))]
    ax.bar(range(len(values)), values, color=colors, yerr=data.get("errors"), width=0.7)
    ax.set_xticks(range(len(labels)), labels, rotation=45 if len(labels) > 10 else 0,
                  ha="right" if len(labels) > 10 else "center")
    ax.grid(axis="x", visible=False)
    if data.get("log"):
        log_axis(ax.yaxis)
    ax.set_ylabel(data.get("ylabel", ""))
    if data.get("title"):
        ax.set_title(data["title"], loc="left")
    return fig


def lines(data: dict[str, Any]):
    """Line plot: ``x`` and ``series`` (list of ``{"label", "y"[, "x"]}``); optional
    ``xlabel``, ``ylabel``, ``logx``, ``logy``, ``title``.
    """
    fig, ax = new_figure(6.4, 3.4)
    for i, s in enumerate(data.get("series", [])):
        y = [math.nan if v is None else float(v) for v in s["y"]]
        x = s.get("x", data.get("x")) or list(range(len(y)))
        ax.plot(x, y, color=COLORS[i % len(COLORS)], lw=1.8, label=s.get("label"))
    if data.get("logx"):
        log_axis(ax.xaxis)
    if data.get("logy"):
        log_axis(ax.yaxis)
    ax.set_xlabel(data.get("xlabel", ""))
    ax.set_ylabel(data.get("ylabel", ""))
    if data.get("title"):
        ax.set_title(data["title"], loc="left")
    if any(s.get("label") for s in data.get("series", [])):
        ax.legend()
    return fig


PLOTS: dict[str, PlotFn] = {"ladder": ladder, "bars": bars, "lines": lines}


# ------------------------------------------------------------------------------------
# lookup and output
# ------------------------------------------------------------------------------------
def _module_plots(mod) -> dict[str, PlotFn]:
    """A plots module's kinds: its ``PLOTS`` dict, else its public functions."""
    if isinstance(getattr(mod, "PLOTS", None), dict):
        return mod.PLOTS
    return {name: fn for name, fn in vars(mod).items()
            if callable(fn) and not name.startswith("_") and getattr(fn, "__module__", None) == mod.__name__}


def _plot_modules() -> list[str]:
    """Names of the ``plots_*`` modules beside this one (found, not imported)."""
    import pkgutil

    import symbreak_cli.render as pkg

    return sorted(f"{pkg.__name__}.{m.name}" for m in pkgutil.iter_modules(pkg.__path__) if m.name.startswith("plots_"))


def get_plot(kind: str) -> PlotFn:
    """The plot function for ``kind``.

    Looked up in :data:`PLOTS`; then, for ``<prefix>_<name>``, in ``plots_<prefix>.py``
    (its ``PLOTS``, a function ``<prefix>_<name>`` or ``<name>``); then in every other
    ``plots_*.py`` module's kinds (its ``PLOTS`` dict, else its public functions) —
    merged at lookup time, so those modules register nothing here.

    Raises
    ------
    InputError
        No module provides ``kind`` (e.g. a report from a newer symbreak).
    """
    if kind in PLOTS:
        return PLOTS[kind]
    prefix, sep, name = kind.partition("_")
    candidates = _plot_modules()
    preferred = f"symbreak_cli.render.plots_{prefix}"
    if sep and (preferred in candidates or preferred in sys.modules):
        mod = importlib.import_module(preferred)
        for attr in (kind, name):
            fn = _module_plots(mod).get(attr) or getattr(mod, attr, None)
            if callable(fn) and not attr.startswith("_"):
                return fn
    for modname in candidates:
        fn = _module_plots(importlib.import_module(modname)).get(kind)
        if callable(fn):
            return fn
    raise InputError(f"unknown plot kind {kind!r} (this symbreak draws: {', '.join(sorted(known_plot_kinds()))})")


def known_plot_kinds() -> set[str]:
    """Every plot kind this installation can draw (imports the ``plots_*`` modules)."""
    kinds = set(PLOTS)
    for modname in _plot_modules():
        kinds |= set(_module_plots(importlib.import_module(modname)))
    return kinds


def make_figure(kind: str, data: dict[str, Any]):
    """Draw plot ``kind`` from ``data`` in the house style; returns the Figure."""
    fn = get_plot(kind)
    with house_style():
        return fn(data)


# crop to the drawn artists: figures without a layout engine keep their labels
_TIGHT = {"bbox_inches": "tight", "pad_inches": 0.06}


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
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, facecolor="white", **_TIGHT)
    return _strip_svg_prolog(buf.getvalue())


def figure_to_png_bytes(fig, dpi: int = 144) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, facecolor="white", **_TIGHT)
    return buf.getvalue()


def figure_to_png_base64(fig, dpi: int = 144) -> str:
    """The figure as base64 PNG (no ``data:`` prefix)."""
    return base64.b64encode(figure_to_png_bytes(fig, dpi)).decode("ascii")


def write_plot(kind: str, data: dict[str, Any], path: str | Path, *, force: bool = True, dpi: int = 144) -> Path:
    """Draw plot ``kind`` and write it atomically to ``path`` (``.png``, ``.svg`` or ``.pdf``).

    A complete SVG file keeps its XML prolog and namespaces (it must stand alone).
    """
    from symbreak_cli.io.files import atomic_write_bytes, check_writable

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg", ".pdf"):
        raise OutputError(f"cannot write a plot as {suffix or 'a file without suffix'}; use .png, .svg or .pdf", path=str(path))
    check_writable(path, force)
    fig = make_figure(kind, data)
    buf = io.BytesIO()
    meta = {"Date": None, "Creator": None} if suffix == ".svg" else ({"Software": None} if suffix == ".png" else {"CreationDate": None})
    with house_style():
        fig.savefig(buf, format=suffix[1:], dpi=dpi, metadata=meta, facecolor="white", **_TIGHT)
    atomic_write_bytes(path, buf.getvalue(), force=force)
    return path


def slug(text: str) -> str:
    """A file-name-safe version of a title: 'Loss curves (relaxed)' -> 'loss-curves-relaxed'."""
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "plot"


def write_section_plots(sections: list, directory: str | Path, fmt: str = "png", *, force: bool = True) -> list[Path]:
    """Write every plot of a report's sections into ``directory`` (``<nn>-<title>.<fmt>``),
    e.g. next to a training run; returns the paths written.
    """
    from symbreak_cli.render.sections import PlotBlock

    out: list[Path] = []
    blocks = [b for s in sections for b in s.blocks if isinstance(b, PlotBlock)]
    for i, block in enumerate(blocks, 1):
        out.append(write_plot(block.kind, block.data, Path(directory) / f"{i:02d}-{slug(block.title)}.{fmt}", force=force))
    return out
