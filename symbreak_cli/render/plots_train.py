"""Training plots, each ``fn(data: dict) -> matplotlib.figure.Figure``.

``data`` comes from a :class:`~symbreak_cli.render.sections.PlotBlock` built from
report.json alone, so the HTML report redraws the same figures. Figures are drawn on an
Agg canvas without pyplot (:func:`symbreak_cli.render.plots.new_figure`), so nothing
global — backend, open-figure list — is touched; matplotlib is imported only inside
the functions.
"""

from __future__ import annotations


def _sym_label(x: float, _pos=None) -> str:
    """Plain-text tick labels for a symlog axis ('0', '10⁻³', …): no mathtext parsing."""
    from symbreak_cli.render.plots import power_of_ten

    return "0" if x == 0 else power_of_ten(abs(x))


def loss_curves(data: dict):
    """Train/validation MSE per epoch, one colour per model (log scale).

    data: {"curves": [{"label": str, "train": [float], "val": [float]}, ...]}
    """
    from symbreak_cli.render.plots import COLORS, log_axis, new_figure

    fig, ax = new_figure(6.4, 3.8)
    for i, c in enumerate(data.get("curves", [])):
        color = COLORS[i % len(COLORS)]
        ax.plot(c["train"], color=color, label=f"{c['label']} train")
        ax.plot(c["val"], color=color, ls="--", label=f"{c['label']} val")
    log_axis(ax.yaxis)
    ax.set_xlabel("epoch")
    ax.set_ylabel("MSE (data unit²)")
    if data.get("curves"):
        ax.legend()
    ax.set_title("loss: relaxed vs equivariant")
    return fig


def irrep_norms(data: dict):
    """Bar chart of ‖θ‖ per O(3) irrep. data: {"irreps": [str], "norms": [float]}"""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    from symbreak_cli.render.plots import HIGHLIGHT, MUTED, new_figure

    fig, ax = new_figure(6.4, 3.6)
    labels, norms = data.get("irreps", []), data.get("norms", [])
    ax.bar(range(len(labels)), norms, color=[MUTED if lab == "0e" else HIGHLIGHT for lab in labels])
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels)
    ax.set_yscale("symlog", linthresh=1e-4)
    ax.yaxis.set_major_formatter(FuncFormatter(_sym_label))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_ylabel("‖θ_irrep‖")
    ax.set_title("relaxed weights per irrep (grey: scalar 0e)")
    return fig


def learned_signal(data: dict):
    """S(r̂) = Σ θ^l_m Y^l_m(r̂) drawn on the sphere, beside its equirectangular map.

    data: {"polar_deg": [..], "azimuth_deg": [..], "values": [[..]] (polar × azimuth)}

    Left: the unit sphere coloured by S, seen from (1, 1, 1)-ish so x, y and z axes all
    show (red = positive, blue = negative; a 2e uniaxial signal shows bands about its
    unique axis, a 1o vector one red and one blue cap). Right: the same values as a map.
    Both are rasterized inside vector output (an SVG of thousands of cells shows hairline
    seams and is needlessly large); axes and labels stay vector.
    """
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    from symbreak_cli.render.plots import new_figure

    fig, _ = new_figure(9.6, 4.0, 1, 1)
    fig.clear()
    grid = fig.add_gridspec(1, 2, width_ratios=(1.0, 1.5))
    ax3d = fig.add_subplot(grid[0], projection="3d")
    ax = fig.add_subplot(grid[1])
    vals = np.asarray(data["values"], float)
    vmax = float(np.abs(vals).max()) if vals.size and np.abs(vals).max() > 0 else 1.0
    norm, cmap = Normalize(-vmax, vmax), colormaps["RdBu_r"]
    polar, azim = np.radians(np.asarray(data["polar_deg"], float)), np.radians(np.asarray(data["azimuth_deg"], float))
    P, A = np.meshgrid(polar, azim, indexing="ij")
    ax3d.plot_surface(np.sin(P) * np.cos(A), np.sin(P) * np.sin(A), np.cos(P), facecolors=cmap(norm(vals)),
                      rstride=1, cstride=1, linewidth=0, antialiased=False, shade=False, rasterized=True)
    for vec, name in ((np.eye(3)[0], "x"), (np.eye(3)[1], "y"), (np.eye(3)[2], "z")):
        ax3d.plot(*np.c_[vec, 1.45 * vec], color="0.25", lw=1)
        ax3d.text(*(1.6 * vec), name, ha="center", va="center")
    ax3d.set_box_aspect((1, 1, 1), zoom=1.35)
    ax3d.view_init(elev=22, azim=35)
    ax3d.set_axis_off()
    ax3d.set_title("on the sphere")
    mesh = ax.pcolormesh(data["azimuth_deg"], data["polar_deg"], vals, cmap=cmap, norm=norm, shading="auto", rasterized=True)
    ax.invert_yaxis()
    ax.set_xlabel("azimuth φ from +x (deg)")
    ax.set_ylabel("polar angle from +z (deg)")
    fig.colorbar(mesh, ax=ax, label="S(r̂)")
    ax.set_title("map")
    fig.suptitle("learned symmetry-breaking signal S(r̂)")
    return fig
