"""The generic plot kinds (``ladder``, ``bars``, ``lines``), and drawing any plot to a file.

Every plot is ``fn(data) -> matplotlib Figure``; which kinds exist, with the type of
their payload, is listed once in :data:`symbreak_cli.render.registry.PLOTS` (the
training plots are in :mod:`.plots_train`). :func:`make_figure` looks a kind up there
and draws it in the house style of :mod:`.figures`, whose toolkit (``new_figure``,
``log_axis``, the palette) is re-exported here for the plot modules.

matplotlib is imported only inside functions, and figures are drawn on an Agg canvas
without pyplot, so nothing global (backend, open-figure list) is touched.

>>> fig = make_figure("ladder", {"tolerance": [1e-5, 1e-3, 0.1], "number": [99, 99, 221],
...                               "symbol": ["P4mm", "P4mm", "Pm-3m"]})
>>> figure_to_svg(fig).startswith("<svg")
True
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from symbreak_cli.errors import OutputError
from symbreak_cli.render.payloads import BarsData, LadderData, LinesData
from symbreak_cli.render.figures import (  # noqa: F401  (the toolkit, re-exported for plot modules)
    COLORS,
    HIGHLIGHT,
    MUTED,
    figure_to_file_bytes,
    figure_to_png_base64,
    figure_to_png_bytes,
    figure_to_svg,
    house_style,
    log_axis,
    new_figure,
    power_of_ten,
    slug,
)


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


def ladder(data: LadderData):
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


def bars(data: BarsData):
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


def lines(data: LinesData):
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


# ------------------------------------------------------------------------------------
# lookup and output
# ------------------------------------------------------------------------------------
def get_plot(kind: str):
    """The plot function of ``kind`` (from :data:`symbreak_cli.render.registry.PLOTS`).

    Raises
    ------
    InputError
        ``kind`` is not registered (e.g. a report from a newer symbreak).
    """
    from symbreak_cli.render.registry import plot_kind

    return plot_kind(kind).draw


def make_figure(kind: str, data: Any):
    """Draw plot ``kind`` from ``data`` in the house style; returns the Figure.

    Raises
    ------
    InputError
        ``kind`` is not registered, or ``data`` lacks a key its payload type requires.
    """
    from symbreak_cli.render.registry import plot_kind

    entry = plot_kind(kind)
    entry.check(kind, data)
    with house_style():
        return entry.draw(data)


def write_plot(kind: str, data: Any, path: str | Path, *, force: bool = True, dpi: int = 144) -> Path:
    """Draw plot ``kind`` and write it atomically to ``path`` (``.png``, ``.svg`` or ``.pdf``).

    A complete SVG file keeps its XML prolog and namespaces (it must stand alone).
    """
    from symbreak_cli.io.files import atomic_write_bytes, check_writable

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg", ".pdf"):
        raise OutputError(f"cannot write a plot as {suffix or 'a file without suffix'}; use .png, .svg or .pdf", path=str(path))
    check_writable(path, force)
    data_bytes = figure_to_file_bytes(make_figure(kind, data), suffix[1:], dpi)
    atomic_write_bytes(path, data_bytes, force=force)
    return path


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
