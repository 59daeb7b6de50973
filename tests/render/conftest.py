"""Small reports for the renderer tests.

* ``demo``: a test-only report kind registered for the duration of a test. It exercises
  every renderer feature (summary, a character table with highlighted irreps and a ``|``
  in a cell, a tolerance-ladder plot, a bar plot) without depending on any analysis code.
* ``real_reports``: every report kind the tool writes today, made by the real library
  functions on small deterministic inputs; a registered kind without a builder fails
  the tests (see ``report_of``).
"""

from __future__ import annotations

import importlib.util
import json
import sys
import types
from pathlib import Path

import pytest

from symbreak_cli.render import registry as render_registry
from symbreak_cli.results import registry as results_registry
from symbreak_cli.results.base import Inputs, InputFile, ReportBase, make_provenance
from symbreak_cli.render.sections import PlotBlock, Section, TableBlock

LADDER = {
    "tolerance": [1e-5, 1e-4, 1e-3, 1e-2, 3e-2, 0.1, 0.5],
    "number": [99, 99, 99, 99, 221, 221, 221],
    "symbol": ["P4mm"] * 4 + ["Pm-3m"] * 3,
    "symprec": 1e-3,
}
# Oh character table, rows Eg and T1u highlighted (the irreps that can carry the breaking)
OH_CHARACTERS = [
    ["A1g", "1", "1", "1", "1", "1"],
    ["Eg", "2", "-1", "0", "0", "2"],
    ["T1u", "3", "0", "-1", "1", "-1"],
    ["T2g | x", "3", "0", "1", "-1", "-1"],
]


class DemoReport(ReportBase):
    """Test-only report kind ``symbreak.demo/1``."""

    title: str
    ladder: dict
    breaking: list[int]


def sections_for_demo(report: DemoReport) -> list[Section]:
    # deliberately not first, to check that renderers put the summary first
    char = Section(
        "Character table of Oh",
        [TableBlock("Oh", ["irrep", "E", "8C3", "6C2", "6C4", "i"], OH_CHARACTERS,
                    highlight=frozenset(report.breaking), note="highlighted: irreps that carry the breaking")],
        text="Irreps whose restriction to C4v contains the identity.",
    )
    ladder = Section("Tolerance ladder", [PlotBlock("Tolerance ladder", "ladder", report.ladder)])
    summary = Section("Summary", [TableBlock("Result", ["quantity", "value"],
                                             [["title", report.title], ["space group", "P4mm (99)"], ["parent", "Pm-3m (221)"]])])
    bars = Section("Amplitudes", [PlotBlock("Mode amplitudes", "bars",
                                            {"labels": ["GM1+", "GM4-", "GM5-"], "values": [0.0, 0.12, 0.03], "highlight": [1]})])
    return [char, summary, ladder, bars]


def demo_report(**changes) -> DemoReport:
    data = dict(
        schema="symbreak.demo/1",
        inputs=Inputs(files=[InputFile(path="BaTiO3_P4mm.cif", sha256="0" * 64)], options={"symprec_A": 1e-3}),
        provenance=make_provenance("symbreak detect BaTiO3_P4mm.cif", libs=("numpy",)),
        title="BaTiO3 <tetragonal> & friends",
        ladder=LADDER,
        breaking=[1, 2],
    )
    data.update(changes)
    return DemoReport(**data)


@pytest.fixture
def demo_kind(monkeypatch):
    """Register the ``demo`` kind for one test, as a real kind is registered: one entry in
    the results registry (its model, found by module path) and one in the render
    registry (its sections); yields its name."""
    # the results registry imports models by module path: give the demo model its own
    # module (conftest's import name depends on pytest's import mode)
    mod = types.ModuleType("symbreak_test_demo_report")
    mod.DemoReport = DemoReport
    monkeypatch.setitem(sys.modules, mod.__name__, mod)
    monkeypatch.setitem(results_registry.REPORT_KINDS, "demo",
                        results_registry.ReportKind("demo", 1, mod.__name__, "DemoReport"))
    monkeypatch.setitem(render_registry.SECTIONS, "demo", sections_for_demo)
    yield "demo"


@pytest.fixture
def demo(demo_kind) -> tuple[str, DemoReport]:
    return demo_kind, demo_report()


# ---------------------------------------------------------------------------------------
# real report kinds, made by the library itself
# ---------------------------------------------------------------------------------------
def _have(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def _detect_inputs(tmp: Path) -> list[str]:
    """A tetragonal perovskite (P4mm, pseudo-cubic parent Pm-3m) and a molecule (CH4, Td),
    from the bundled sample data when present, else written here with ASE."""
    sample = Path(__file__).resolve().parents[2] / "sample_data"
    found = sorted(sample.glob("*P4mm*.cif")) + sorted(sample.glob("*CH4*.xyz"))
    if len(found) >= 2:
        return [str(p) for p in found[:2]]
    from ase import Atoms
    from ase.build import molecule
    from ase.io import write

    a, c = 3.99, 4.03
    frac = [(0, 0, 0), (0.5, 0.5, 0.515), (0.5, 0.5, 0.975), (0.5, 0, 0.485), (0, 0.5, 0.485)]
    crystal = Atoms("BaTiO3", scaled_positions=frac, cell=[a, a, c], pbc=True)
    paths = [tmp / "BaTiO3_P4mm.cif", tmp / "CH4_Td.xyz"]
    write(paths[0], crystal)
    write(paths[1], molecule("CH4"))
    return [str(p) for p in paths]


def make_detect(tmp: Path) -> ReportBase:
    from symbreak_cli.workflows.detect import DetectOptions, detect_files

    return detect_files(_detect_inputs(tmp), DetectOptions(), command="symbreak detect (test)")


def make_train(tmp: Path) -> ReportBase:
    """A few epochs of the relaxed network and its equivariant baseline on cube → prism
    (the data is written by the sample-data code): every train section and plot appears."""
    from symbreak_cli.train.config import TrainConfig
    from symbreak_cli.workflows.train import train_relaxed
    from symbreak_cli.train.sample_data import write_training_samples

    data = next(p for p in write_training_samples(tmp / "data", force=True) if p.name == "cube_to_prism.h5")
    cfg = TrainConfig(data=str(data), out=str(tmp / "run"), epochs=3, baseline=True, device="cpu", seed=0)
    return train_relaxed(cfg, command="symbreak train-relaxed (test)")


def make_samples(tmp: Path) -> ReportBase:
    """A few epochs of SymPE and every baseline on square → rectangle, then draws for the
    square: every samples section and plot appears."""
    from symbreak_cli.train.config import TrainConfig
    from symbreak_cli.train.sample_data import write_training_samples
    from symbreak_cli.workflows.sympe_samples import sample_run
    from symbreak_cli.workflows.train import train_relaxed

    data = next(p for p in write_training_samples(tmp / "data", force=True) if p.name == "square_to_rectangles.h5")
    cfg = TrainConfig(data=str(data), out=str(tmp / "run"), epochs=3, sympe=True, noise=True, baseline=True,
                      device="cpu", seed=0)
    train_relaxed(cfg, command="symbreak train-relaxed --sympe (test)")
    xyz = tmp / "square.xyz"
    xyz.write_text("4\nsquare\n" + "".join(f"C {x} {y} 0.0\n" for x, y in [(0.5, 0.5), (-0.5, 0.5), (-0.5, -0.5), (0.5, -0.5)]))
    return sample_run(str(xyz), str(tmp / "run"), 20, str(tmp / "draws"), command="symbreak break (test)")


def make_break(tmp: Path) -> ReportBase:
    """SF6 broken to C4v, every domain written (the domain_patterns plot appears)."""
    from symbreak_cli.workflows.break_ import BreakOptions, break_file

    return break_file(str(SAMPLE_SF6), BreakOptions(to="C4v", amplitude=0.1, out=str(tmp / "domains")),
                      command="symbreak break (test)")


SAMPLE_SF6 = Path(__file__).resolve().parents[2] / "sample_data" / "SF6.xyz"


# kind -> (modules that must exist, builder(tmp_path) -> report)
BUILDERS = {
    "detect": (("symbreak_cli.render.detect", "symbreak_cli.symmetry.detect"), make_detect),
    "train": (("symbreak_cli.render.train", "symbreak_cli.workflows.train", "symbreak_cli.train.sample_data"), make_train),
    "break": (("symbreak_cli.render.break_", "symbreak_cli.workflows.break_"), make_break),
    "samples": (("symbreak_cli.render.samples", "symbreak_cli.workflows.sympe_samples"), make_samples),
}


@pytest.fixture(scope="session")
def builders() -> dict:
    return BUILDERS


@pytest.fixture(scope="session")
def real_reports(tmp_path_factory) -> dict[str, ReportBase | None]:
    """kind -> report, built on first use (once per session); None when no code writes it."""

    class Lazy(dict):
        def __missing__(self, kind):
            mods, build = BUILDERS.get(kind, ((f"symbreak_cli.render.{kind}",), None))
            self[kind] = build(tmp_path_factory.mktemp(kind)) if build and all(_have(m) for m in mods) else None
            return self[kind]

    return Lazy()


@pytest.fixture
def report_of(real_reports):
    """``report_of(kind)``: the real report of ``kind`` after a JSON round trip (what the
    CLI reads); skips, with the reason, while no code produces that kind yet."""

    def get(kind: str) -> ReportBase:
        if real_reports[kind] is None:  # a registered kind must have a builder: fail, never skip
            pytest.fail(f"no test builder for report kind {kind!r} (add one to BUILDERS in tests/render/conftest.py)")
        report = real_reports[kind]
        return type(report).model_validate(json.loads(report.to_json()))

    return get
