"""Training plots, each ``fn(data: dict) -> matplotlib.figure.Figure``.

``data`` comes from a :class:`~symbreak_cli.report.sections.PlotBlock` built from
report.json alone, so the HTML report redraws the same figures. matplotlib is imported
inside each function with the Agg backend (no display needed).
"""

from __future__ import annotations


def _figure(w: float = 6.0, h: float = 4.0):
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    return Figure(figsize=(w, h))


def loss_curves(data: dict):
    """Train/validation MSE per epoch, one colour per model (log scale).

    data: {"curves": [{"label": str, "train": [float], "val": [float]}, ...]}
    """
    fig = _figure()
    ax = fig.add_subplot(111)
    for i, c in enumerate(data.get("curves", [])):
        ax.semilogy(c["train"], color=f"C{i}", label=f"{c['label']} train")
        ax.semilogy(c["val"], color=f"C{i}", ls="--", label=f"{c['label']} val")
    ax.set_xlabel("epoch")
    ax.set_ylabel("MSE (data unit²)")
    ax.legend()
    ax.set_title("loss: relaxed vs equivariant")
    return fig


def irrep_norms(data: dict):
    """Bar chart of ‖θ‖ per O(3) irrep. data: {"irreps": [str], "norms": [float]}"""
    fig = _figure()
    ax = fig.add_subplot(111)
    labels, norms = data.get("irreps", []), data.get("norms", [])
    ax.bar(range(len(labels)), norms, color=["0.6" if lab == "0e" else "C3" for lab in labels])
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels)
    ax.set_yscale("symlog", linthresh=1e-4)
    ax.set_ylabel("‖θ_irrep‖")
    ax.set_title("relaxed weights per irrep (grey: scalar 0e)")
    return fig


def learned_signal(data: dict):
    """S(r̂) = Σ θ^l_m Y^l_m(r̂) on the sphere (equirectangular map).

    data: {"polar_deg": [..], "azimuth_deg": [..], "values": [[..]] (polar × azimuth)}
    """
    import numpy as np

    fig = _figure(6.5, 3.6)
    ax = fig.add_subplot(111)
    vals = np.asarray(data["values"], float)
    mesh = ax.pcolormesh(data["azimuth_deg"], data["polar_deg"], vals, cmap="RdBu_r", shading="auto",
                         vmin=-np.abs(vals).max(), vmax=np.abs(vals).max())
    ax.invert_yaxis()
    ax.set_xlabel("azimuth φ from +x (deg)")
    ax.set_ylabel("polar angle from +z (deg)")
    fig.colorbar(mesh, ax=ax, label="S(r̂)")
    ax.set_title("learned symmetry-breaking signal")
    return fig
