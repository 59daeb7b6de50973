"""Schema ``symbreak.samples/<major>``: draws from a trained SymPE run (and its baselines)
for one symmetric input, grouped into symmetry-equivalent classes.

Lengths are in the data's unit. A *class* is a set of outputs related to the first by
one element of the input's stabiliser Stab(x) (the element is named, ITA-like, as it
maps the first class onto this one); the χ² test compares the class counts with the
uniform law SymPE promises, over the classified draws only (a draw within the class
tolerance of no image is *unclassified*; under half classified, there is no test and
``chi2_note`` says so — the noise baseline's draws are mostly of this kind). Entropies
are in nats: the plug-in entropy of the kernel elements drawn (discrete, at most
ln |Stab(x)|) or the noise's differential entropy.

The :class:`SamplesSection` is also the optional ``samples`` section of a ``break``
report and, per model, the ``sympe`` block of a ``train`` report.

Major 2 (from 1): χ² over the classified draws only (``chi2.n_classified``) and
``chi2_note`` when it counts only some or there is no test; the ``break`` report that
carries this section moved to major 2 with it.
"""

from __future__ import annotations

from pydantic import Field

from symbreak_cli.results.base import REPORT_KINDS, Frozen, ReportBase

SCHEMA_ID = REPORT_KINDS["samples"].schema_id


class SampleClass(Frozen):
    index: int
    count: int
    frequency: float
    element: str = Field(description="the Stab(x) element mapping class 0 onto this class (ITA-like symbol)")


class ChiSquare(Frozen):
    statistic: float
    dof: int
    p_value: float = Field(description="against equal class frequencies")
    n_classified: int | None = Field(None, description="draws the test counts: those within the class tolerance of a "
                                                       "class (the unclassified ones are left out)")


class Distances(Frozen):
    min: float
    median: float
    max: float


class Entropy(Frozen):
    nats: float
    kind: str = Field(description="'discrete' (kernel elements drawn) or 'differential' (Gaussian noise features)")
    uniform_nats: float | None = Field(None, description="ln |Stab(x)|: the inversion kernel's entropy")


class EquivarianceCheck(Frozen):
    n_elements: int = Field(description="random O(3) elements g tried")
    ordinary_max: float = Field(description="max over g of d(f(gx), g f(x)) (RMS, points paired optimally)")
    ordinary_mean: float
    relaxed_max: float = Field(description="max over g of min over s in Stab(x) of d(f(gx), g s f(x))")


class ModelSamples(Frozen):
    label: str = Field(description="sympe, noise, equivariant or relaxed (the last two deterministic)")
    n_samples: int
    n_classes: int = Field(description="|Stab(x)| / |Stab(x) ∩ Stab(y)|: distinct Stab(x)-images of the reference draw")
    classes: list[SampleClass]
    unclassified: int = Field(description="draws within the class tolerance of no image of the reference")
    class_tolerance: float = Field(description="largest per-point distance to a class's ideal image")
    max_distance_to_class: float
    chi2: ChiSquare | None = Field(None, description="None with one class (a Stab(x)-symmetric output) or when fewer "
                                   "than half the draws are classified (chi2_note says which)")
    chi2_note: str | None = Field(None, description="why there is no χ² test, or that it counts only the classified draws "
                                  "(None when every draw is classified)")
    distance_to_training: Distances | None = Field(None, description="RMS to the nearest training target, where known")
    entropy: Entropy | None = None
    equivariance: EquivarianceCheck | None = None
    files: list[str] = Field(default_factory=list, description="xyz files written, one per draw")


class SamplesSection(Frozen):
    input: str = Field(description="the structure the draws are for")
    stabiliser: str = Field(description="point group of the input (Schoenflies; C∞v/D∞h for a line)")
    stabiliser_order: int | None = Field(None, description="None for a continuous stabiliser")
    n_points: int
    seed: int
    models: list[ModelSamples]


class SamplesReport(ReportBase):
    schema_id: str = Field(SCHEMA_ID, alias="schema")
    run_dir: str
    samples: SamplesSection
    files: list[str] = Field(default_factory=list)
