"""The payload of each plot kind, as a typed structure (a ``TypedDict`` per kind).

A :class:`~symbreak_cli.render.sections.PlotBlock` carries ``data`` of its kind's type;
:data:`symbreak_cli.render.registry.PLOTS` pairs each kind with its plot function and
this type, and checks the required keys before drawing, so a payload that drifted from
its plot is a clear message ("plot not drawn: …"), not a ``KeyError`` deep in matplotlib.
TypedDicts are plain dicts at run time: section builders write ordinary dict literals,
and a type checker holds them to these keys.

Units are in the key names where they have one (``tolerance_A``: Å, ``polar_deg``: degrees).

>>> sorted(missing_keys(IrrepNormsData, {"irreps": ["0e", "1o"]}))
['norms']
>>> unknown_keys(IrrepNormsData, {"irreps": [], "norms": [], "colour": "red"})
['colour']
"""

from __future__ import annotations

from typing import Any, Mapping, TypedDict, Union


# --- ladder -----------------------------------------------------------------------------
class LadderStep(TypedDict, total=False):
    """One rung of a tolerance ladder (the ``steps`` layout)."""

    tolerance: float
    tolerance_A: float
    number: int | None
    symbol: str | None
    group: str | None
    order: int | None


class LadderData(TypedDict, total=False):
    """``ladder``: the group found at each tolerance.

    Column-wise (``tolerance``/``tolerance_A`` in Å, ascending; ``number``: space-group
    number, ``order``: point-group order for molecules; ``symbol``/``group``: the group's
    name), or ``steps`` (a list of :class:`LadderStep`), or ``series`` (several ladders,
    one line each). ``symprec`` (Å) draws the main answer's tolerance; ``label`` or
    ``structure`` names the line. The detect report's own names (``tolerance_A``,
    ``group``, ``structure``) are accepted as synonyms.
    """

    tolerance: list[float]
    tolerance_A: list[float]
    number: list[int | None]
    order: list[int | None]
    symbol: list[str | None]
    group: list[str | None]
    max_displacement_A: list[float | None]
    label: str
    structure: str
    symprec: float
    title: str
    steps: list[LadderStep]
    series: list[LadderData]


# --- generic bars and lines ---------------------------------------------------------------
class _BarsRequired(TypedDict):
    labels: list[str]
    values: list[float]


class BarsData(_BarsRequired, total=False):
    """``bars``: one bar per label; ``highlight`` holds indices drawn in the highlight colour."""

    highlight: list[int]
    errors: list[float]
    ylabel: str
    title: str
    log: bool


class LineSeries(TypedDict, total=False):
    label: str
    x: list[float]
    y: list[float | None]


class _LinesRequired(TypedDict):
    series: list[LineSeries]


class LinesData(_LinesRequired, total=False):
    """``lines``: several series over a shared ``x`` (a series may bring its own)."""

    x: list[float]
    xlabel: str
    ylabel: str
    logx: bool
    logy: bool
    title: str


# --- training ---------------------------------------------------------------------------------
class LossCurve(TypedDict):
    label: str
    train: list[float]
    val: list[float]


class LossCurvesData(TypedDict):
    """``loss_curves``: train/validation MSE per epoch, one entry per model."""

    curves: list[LossCurve]


class IrrepNormsData(TypedDict):
    """``irrep_norms``: ‖θ‖ per O(3) irrep (e3nn labels such as ``1o``, ``2e``)."""

    irreps: list[str]
    norms: list[float]


class LearnedSignalData(TypedDict):
    """``learned_signal``: S(r̂) on a grid, ``values`` of shape (polar × azimuth)."""

    polar_deg: list[float]
    azimuth_deg: list[float]
    values: list[list[float]]


#: what a PlotBlock may carry
PlotData = Union[LadderData, BarsData, LinesData, LossCurvesData, IrrepNormsData, LearnedSignalData]


def missing_keys(payload: type, data: Mapping[str, Any]) -> list[str]:
    """Required keys of the TypedDict ``payload`` that ``data`` lacks."""
    return sorted(k for k in payload.__required_keys__ if k not in data)


def unknown_keys(payload: type, data: Mapping[str, Any]) -> list[str]:
    """Keys of ``data`` that the TypedDict ``payload`` does not declare."""
    known = payload.__required_keys__ | payload.__optional_keys__
    return sorted(k for k in data if k not in known)
