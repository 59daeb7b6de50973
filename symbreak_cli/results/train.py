"""Schema ``symbreak.train/<major>``: what ``train-relaxed`` learned, in physical terms.

Lengths are in the data file's unit; losses are mean squared errors of the per-node 1o
target (acceleration or displacement) divided by its root-mean-square ``data.scales.target``
(dimensionless: predicting zero costs about 1); θ coefficients are in e3nn's
real basis (1o/1e blocks are Cartesian (x, y, z)).

Major 2 (from 1): ``symmetry.kept.axes`` are objects (class symbol, a member operation,
Cartesian direction) instead of preformatted text; ``kept.tolerance`` became
``kept.tolerances`` (one per layer) with the rule's constants beside it
(``tolerance_rule``); the kept group is the intersection of the per-layer stabilisers, and
``theta`` holds the layers only (the former summed 'combined' reading is gone;
``theta_combined`` gives the root-sum-square norms over layers).

Major 3 (from 2): irreps are kept on evidence — ``symmetry.evidence`` lists per layer and
irrep the norm, share, validation-loss increase when the block is removed and the verdict
(needed / negligible) with the margin used; the kept group is the stabiliser of the needed
blocks only. ``symmetry.verdict`` is "kept" or "no fit" (``symmetry.fit`` says why; no
group is named then). Everything measured in seconds and every path of the run directory
moved to ``provenance`` (``run_dir``, ``timings``; ``inputs.options`` no longer holds ``out``); ``models[].checkpoint`` is a file
name in the run directory. The rest of a report is the same bytes for the same seed on CPU.

Major 4 (from 3): ``restarts`` (``--restarts N``, 8 by default): every restart's seed, best
validation loss and verdict, and how many reached the reported one (``summary`` e.g.
"D4h in 8/8"); the reported model is the restart with the lowest validation loss. Units
never reach the network: positions, inputs and targets are divided by their
root-mean-square scales (``data.scales``, in the file's units), so every loss is now in
units of the target's mean square (dimensionless; the same for data in Å or nm, fs or ps),
and ``data.time_step`` says where the frame times came from. ``reg_path`` (``--reg-path``):
validation loss, ‖θ_non-scalar‖ and the irreps switched on along log-spaced λ, and the knee.
``sympe`` — a ``train-relaxed --sympe`` run's draws for its first training input, per
model (SymPE, and with ``--noise``/``--baseline`` the noise-injection, equivariant and
relaxed-weights models): classes of symmetry-equivalent outputs, χ² against uniform,
distance to the training targets, entropy of the breaking input, ordinary and relaxed
equivariance errors (:class:`symbreak_cli.results.samples.SamplesSection`);
``equivariance.point_error_o3`` / ``relaxed_error_o3`` for a pairs run's relaxed model. ``data.task`` may be "fields" and a ``gconv`` block holds what a relaxed
group convolution (``--model gconv``) found: relaxed weights per group element and layer,
their Fourier (irrep) decomposition on G, the kept subgroup judged on evidence, the irreps
carrying the breaking, and model equivariance errors per element.

Major 5 (from 4): ``restarts`` also for ``--sympe`` (a restart's verdict is its draws' class
count and χ² uniformity; rows gain ``p_value`` and ``max_distance_to_training``) and for
``--model gconv`` (every restart's kept subgroup); ``sympe`` χ² counts only classified draws
(``chi2.n_classified``, ``chi2_note``); ``gconv`` gains the relaxed (Kaba & Ravanbakhsh)
equivariance error per element (``equivariance[].relaxed_per_element`` / ``relaxed_mean``),
``input_stabilizers``, ``weight_stabilizer_order`` (the stabiliser now to 1e-3 relative) and
``data_asymmetry_linear``, a model-free estimate of the data's asymmetry.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from symbreak_cli.results.base import REPORT_KINDS, Frozen, Provenance, ReportBase
from symbreak_cli.results.samples import SamplesSection

SCHEMA_ID = REPORT_KINDS["train"].schema_id  # the major lives in the one registry


class DataSummary(Frozen):
    path: str
    task: Literal["dynamics", "pairs", "fields"]
    target: str = Field(description="what the network fits, per node (a 1o vector)")
    irreps_in: str = Field(description="e3nn irreps of the per-node input")
    n_samples: int = Field(description="sample graphs (frames or input clouds)")
    n_points: int = Field(description="nodes per sample")
    n_train: int
    n_val: int
    val_is_train: bool = Field(description="true when there was a single sample: validation reuses it")
    n_edges: int = Field(description="directed edges within the cutoff, all samples")
    cutoff: float = Field(description="edge cutoff, data length unit")
    scales: dict | None = Field(None, description="internal scales, file units: length (RMS distance from the "
                                                  "centroid), target (RMS), inputs (per column group: RMS)")
    time_step: str | None = Field(None, description="dynamics: where the frame times came from ('file', '--dt', "
                                                    "or equally spaced frames)")


class LossHistory(Frozen):
    train_loss: list[float] = Field(description="per epoch, MSE of the scaled target, penalty excluded")
    val_loss: list[float] = Field(description="per epoch, validation MSE (scaled target)")


class ModelResult(Frozen):
    label: Literal["relaxed", "equivariant", "sympe", "noise"]
    n_parameters: int
    epochs_run: int
    stop_reason: str
    final_train_loss: float = Field(description="MSE, scaled target")
    final_val_loss: float = Field(description="MSE, scaled target")
    best_val_loss: float = Field(description="MSE, scaled target; the reported weights are this epoch's")
    best_epoch: int
    checkpoint: str | None = Field(None, description="file name of the checkpoint in the run directory "
                                                     "(torch.load(weights_only=True))")
    history: LossHistory


class IrrepNorm(Frozen):
    irrep: str = Field(description="O(3) irrep, e3nn notation: l then parity e/o")
    norm: float = Field(description="‖θ_irrep‖ (dimensionless)")
    share: float = Field(description="norm / Σ non-scalar norms (0 for 0e)")


class VectorReading(Frozen):
    direction: list[float] = Field(description="unit Cartesian vector (x, y, z)")
    magnitude: float


class TensorReading(Frozen):
    matrix: list[list[float]] = Field(description="3×3 symmetric traceless Cartesian tensor Q, θ₂·Y₂(r) = rᵀQr")
    principal_values: list[float] = Field(description="eigenvalues of Q, ascending")
    principal_axes: list[list[float]] = Field(description="unit eigenvectors, rows, same order")
    unique_axis: list[float] = Field(description="axis of the eigenvalue farthest from the other two")


class ThetaReading(Frozen):
    layer: str = Field(description="relaxed layer number '0', '1', …")
    coefficients: dict[str, list[float]] = Field(description="θ blocks per irrep in e3nn's basis")
    irreps: list[IrrepNorm]
    vector_1o: VectorReading | None = Field(None, description="polar vector (e.g. an electric field)")
    axis_1e: VectorReading | None = Field(None, description="axial vector (e.g. a magnetic field), sign arbitrary")
    tensor_2e: TensorReading | None = None


class KeptAxis(Frozen):
    symbol: str = Field(description="conjugacy class, Schoenflies notation (C4, C2', σh, S4, …)")
    operation: str = Field(description="Seitz symbol of one member of the class, e.g. '4+_[001]'")
    direction: list[float] = Field(description="unit Cartesian vector: rotation axis or mirror normal")


class ToleranceRule(Frozen):
    rel_largest_block: float = Field(description="× the layer's largest non-scalar ‖θ_l‖")
    rel_scalar: float = Field(description="× ‖θ_0e‖ (blocks below are optimiser noise and ignored)")
    floor: float = Field(description="θ units, the smallest tolerance")


class KeptGroup(Frozen):
    schoenflies: str
    hm: str
    order: int
    is_continuous: bool = Field(False, description="an axial group (C∞v, …); order/operations are its 6-fold approximant")
    continuous_axis: list[float] | None = Field(None, description="the C∞ axis of an axial group (unit Cartesian)")
    tolerances: list[float] = Field(description="per layer, max ‖D(g)θ_l − θ_l‖ allowed (absolute, θ units): "
                                                "max(rel_largest_block·largest, rel_scalar·‖θ_0e‖, floor)")
    tolerance_rule: ToleranceRule
    operations: list[str] = Field(description="Seitz symbols of the kept operations")
    axes: list[KeptAxis] = Field(description="one per class of non-trivial operations with an axis")


class BreakingIrrep(Frozen):
    label: str = Field(description="irrep of the data's symmetry group G (Mulliken) or of O(3)")
    multiplicity: int = Field(description="copies of H's identity irrep in its restriction to the kept group H")
    theta_norm: float | None = Field(None, description="norm of θ projected onto this irrep's isotypic part")


class FitCheck(Frozen):
    fits: bool = Field(description="false: the relaxed model does not fit, and no group is named")
    val_loss: float = Field(description="best validation MSE of the relaxed model (scaled target)")
    target_mean_square: float = Field(description="mean(target²) over validation: the loss of predicting zero")
    baseline_val_loss: float | None = Field(None, description="best validation MSE of the equivariant baseline, if trained")
    fit_rel: float = Field(description="fits when val_loss ≤ fit_rel × target_mean_square (and × a baseline loss that "
                                       "is itself above that)")
    reason: str


class BlockVerdict(Frozen):
    layer: int = Field(description="relaxed layer number")
    irrep: str = Field(description="O(3) irrep of the block, e3nn notation")
    norm: float = Field(description="‖θ block‖")
    share: float = Field(description="norm / Σ the layer's non-scalar norms")
    delta_val_loss: float = Field(description="validation MSE increase when the block is set to zero (scaled target): "
                                              "against the trained loss, or after a refit against the control refit")
    refit: bool = Field(description="whether the other weights were refitted before comparing")
    verdict: Literal["needed", "negligible"]


class GroupCheck(Frozen):
    group: str = Field(description="candidate kept group (Schoenflies)")
    order: int
    tol_scale: float = Field(description="found at this multiple of the kept-group tolerance")
    delta_val_loss: float = Field(description="validation MSE increase when the needed θ blocks are averaged over it")
    accepted: bool = Field(description="delta within the margin (scale 1, the plain stabiliser, always is); the "
                                       "largest accepted group is the kept group")


class Evidence(Frozen):
    margin: float = Field(description="a block is needed when its delta_val_loss exceeds this (scaled target): "
                                      "max(needed_rel × control_val_loss, noise_factor × noise, floor_rel × "
                                      "target_mean_square)")
    needed_rel: float
    noise_factor: float
    floor_rel: float
    val_loss: float = Field(description="validation MSE of the trained relaxed model")
    control_val_loss: float = Field(description="best validation MSE of the control refit (nothing removed)")
    noise: float = Field(description="spread (max − min) of the control refit's validation MSE over its last epochs")
    target_mean_square: float
    refit_epochs: int
    refit_lr: float
    joint_delta_val_loss: float = Field(description="validation MSE increase with every negligible block removed together")
    blocks: list[BlockVerdict]
    group_checks: list[GroupCheck] = Field(default_factory=list)


class SymmetryAnalysis(Frozen):
    verdict: Literal["kept", "no fit", "no group"] = Field(
        description="'kept': the kept group is named; 'no fit': the relaxed model does not fit the data (see fit); "
                    "'no group': the operations fixing the needed blocks do not close into a group")
    fit: FitCheck
    evidence: Evidence | None = Field(None, description="per-block removal tests (absent when there is no fit)")
    data_group: str = Field(description="symmetry group of the input data")
    data_group_source: str
    data_group_order: int | None = Field(None, description="None for O(3)")
    kept: KeptGroup | None
    breaking: list[BreakingIrrep] = Field(description="non-trivial irreps of G carrying the breaking G → H")
    n_domains: int | None = Field(None, description="|G| / |H|")
    note: str | None = None


class Equivariance(Frozen):
    model_error_group: float | None = Field(None, description="mean |f(gx) − g f(x)| / mean |f(x)| over g in the data's group")
    data_error_group: float | None = Field(None, description="mean |y(gx) − g y(x)| / mean |y| over g in the data's group")
    model_error_o3: float = Field(description="same over random O(3) elements (rotations and improper)")
    point_error_o3: float | None = Field(None, description="pairs: max over random O(3) g of d(f(gx), g f(x)), f(x) the "
                                         "predicted cloud, RMS with points paired optimally (data units)")
    relaxed_error_o3: float | None = Field(None, description="pairs: the relaxed (Kaba & Ravanbakhsh) error, max over g of "
                                           "min over s in Stab(x) of d(f(gx), g s f(x)) (data units)")


class RestartRow(Frozen):
    seed: int = Field(description="torch seed of this restart (restart r of --seed s: s + 7919·r)")
    best_val_loss: float = Field(description="best validation MSE (scaled target)")
    epochs_run: int
    stop_reason: str
    verdict: str = Field(description="kept group (Schoenflies), 'no fit', 'no group' or 'diverged'")
    needed: list[str] = Field(description="irreps judged needed for this verdict")
    reported: bool = Field(description="the restart the report is about (lowest validation loss)")
    p_value: float | None = Field(None, description="--sympe: χ² p of this restart's class counts against uniform")
    max_distance_to_training: float | None = Field(None, description="--sympe: largest RMS distance of this restart's "
                                                   "draws to the nearest training target")


class Restarts(Frozen):
    n: int = Field(description="restarts trained")
    vectorised: bool = Field(description="trained together (torch.func.vmap over stacked parameters), else one by one")
    verdict: str = Field(description="the reported verdict (of the restart with the lowest validation loss)")
    agreeing: int = Field(description="restarts whose verdict is the reported one")
    counts: dict[str, int] = Field(description="restarts per verdict")
    summary: str = Field(description="e.g. 'D4h in 8/8'")
    rule: str = Field(description="how the other restarts' verdicts were judged")
    rows: list[RestartRow]


class RegPathPoint(Frozen):
    l_relaxed: int
    reg: float = Field(description="group-lasso weight λ")
    best_val_loss: float = Field(description="best validation MSE (scaled target)")
    theta_nonscalar: float = Field(description="‖θ_non-scalar‖: root-sum-square of every non-scalar block, all layers")
    norms: dict[str, float] = Field(description="per irrep, ‖θ‖ combined over layers")
    needed: list[str] = Field(description="irreps needed by the no-refit removal test (those 'switched on')")
    verdict: str = Field(description="kept group at this λ, 'no fit' or 'no group'")
    epochs_run: int


class RegPath(Frozen):
    lambdas: list[float]
    points: list[RegPathPoint]
    knees: dict[str, float] = Field(description="l_relaxed → the largest λ whose val MSE is within the evidence "
                                                "margin of the path's best")
    rule: str


class ModelTiming(Frozen):
    label: str
    wall_time_s: float
    time_per_step_ms: float


class TrainProvenance(Provenance):
    run_dir: str = Field(description="the run directory")
    timings: list[ModelTiming] = Field(default_factory=list, description="per trained model")


class GconvLayer(Frozen):
    layer: int = Field(description="0 = the lifting layer, then the group convolutions")
    weights: list[list[float]] = Field(description="relaxed weights w_l(g): one row per group element (elements order), "
                                                   "one column per filter bank")
    fourier: dict[str, list[float]] = Field(description="per real irrep of G and filter bank, sqrt(|G|/d)·‖P_irrep w‖ "
                                                        "(C4: |DFT| of w; equal weights 1 give |G| for the identity irrep)")


class GconvSubgroupTest(Frozen):
    name: str = Field(description="Schoenflies (2D: Cn / Dn of the plane)")
    description: str = Field(description="name with its axes, e.g. 'C4 (4-fold axis along z)'")
    order: int
    elements: list[str]
    delta_val_loss: float = Field(description="validation MSE increase when every layer's w is averaged over the subgroup")
    refit: bool = Field(description="whether the other weights were refitted (w held invariant) before comparing")
    kept: bool = Field(description="delta within the margin")


class GconvKept(Frozen):
    name: str
    description: str
    order: int
    elements: list[str]
    margin: float = Field(description="max(needed_rel × control loss, noise_factor × noise, floor_rel × mean(target²))")
    control_val_loss: float
    noise: float
    val_loss: float
    target_mean_square: float
    tests: list[GconvSubgroupTest] = Field(description="every subgroup of G, largest first")


class GconvIrrep(Frozen):
    label: str = Field(description="real irrep of G (Mulliken)")
    norm: float = Field(description="root-sum-square over layers and banks of sqrt(|G|/d)·‖P_irrep w‖")
    breaking: bool = Field(description="contains the kept subgroup's identity irrep: can carry the breaking G → H")


class GconvEquivariance(Frozen):
    model: Literal["relaxed", "equivariant"]
    per_element: list[float] = Field(description="mean |f(gx) − g·f(x)| / mean |f(x)| over validation samples, per element")
    mean: float
    relaxed_per_element: list[float] = Field(default_factory=list, description="relaxed equivariance (Kaba & Ravanbakhsh): "
                                             "per element, mean over samples of min over s in Stab(x) of "
                                             "|f(gx) − g·s·f(x)|, / mean |f(x)|; 0 for a map that breaks a symmetric "
                                             "input's symmetry only within Stab(x)")
    relaxed_mean: float | None = None


class GconvLinearAsymmetry(Frozen):
    asymmetry: float = Field(description="(L_G − L_free) / L_G of least-squares local linear (k-stencil) fits of the target, "
                                         "unconstrained and G-equivariant, on the validation samples: 0 when the best "
                                         "linear response respects G, → 1 when breaking G explains its whole error")
    free_rel: float = Field(description="L_free / mean(target²): how well the linear proxy fits at all")
    equivariant_rel: float = Field(description="L_G / mean(target²)")
    n_free: int = Field(description="stencil parameters, unconstrained")
    n_equivariant: int = Field(description="stencil parameters, G-equivariant")


class GconvResult(Frozen):
    group: str
    group_order: int
    elements: list[str] = Field(description="Seitz symbols of G's elements (rows of layers[].weights)")
    grid: list[int]
    input_channels: list[str]
    target_channels: list[str]
    periodic: bool
    filter_banks: int
    verdict: Literal["kept", "no fit", "no relaxed model"]
    fit: FitCheck | None = None
    layers: list[GconvLayer] = Field(default_factory=list)
    weight_stabilizer: str | None = Field(None, description="group of the elements fixing every layer's w "
                                                            "(to 1e-3 relative)")
    kept: GconvKept | None = None
    irreps: list[GconvIrrep] = Field(default_factory=list)
    equivariance: list[GconvEquivariance] = Field(default_factory=list)
    data_asymmetry: float | None = Field(None, description="best val loss of the equivariant baseline / the relaxed "
                                                           "model's (≈ 1: the data respect G; ≫ 1: they break it)")
    data_asymmetry_linear: GconvLinearAsymmetry | None = Field(None, description="direct, model-free estimate of the "
                                                                                 "data's asymmetry (linear response)")
    weight_stabilizer_order: int | None = Field(None, description="order of weight_stabilizer")
    input_stabilizers: dict[str, int] = Field(default_factory=dict, description="order of Stab(x) → number of "
                                                                                "validation inputs (for relaxed "
                                                                                "equivariance)")


class TrainReport(ReportBase):
    schema_id: str = Field(SCHEMA_ID, alias="schema")
    provenance: TrainProvenance
    data: DataSummary
    models: list[ModelResult]
    theta: list[ThetaReading] = Field(default_factory=list, description="per relaxed layer")
    theta_combined: list[IrrepNorm] = Field(default_factory=list,
                                            description="per irrep, root-sum-square of ‖θ‖ over the layers")
    theta_norm_history: dict[str, list] = Field(default_factory=dict,
                                                description="epochs and per-irrep combined norms during training")
    symmetry: SymmetryAnalysis | None = None
    equivariance: Equivariance | None = None
    signal: dict | None = Field(None, description="S(r̂) grid: polar_deg, azimuth_deg, values (polar × azimuth)")
    loss_ratio_equivariant_over_relaxed: float | None = Field(None, description="best val loss ratio")
    restarts: Restarts | None = Field(None, description="--restarts > 1: every restart's verdict and the agreement")
    reg_path: RegPath | None = Field(None, description="--reg-path: the verdict along log-spaced λ, and the knee")
    sympe: SamplesSection | None = Field(None, description="a --sympe run: each model's draws for the first training input")
    files: list[str] = Field(default_factory=list)
    gconv: GconvResult | None = Field(None, description="relaxed group convolution (--model gconv) on fields")
