"""detect as a run: the report is made from the library's domain objects (copied, rounded),
validates against ``json_schema('detect')``, round-trips through its model, and carries
every tolerance that decides a verdict beside that verdict."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import numpy as np

from symbreak_cli.groups import PointGroup
from symbreak_cli.io.structures import read_structures
from symbreak_cli.results.base import json_schema
from symbreak_cli.results.detect import DetectReport
from symbreak_cli.symmetry.detect import analyse_cell
from symbreak_cli.testing import validate_report
from symbreak_cli.workflows._detect_results import structure_result
from symbreak_cli.workflows.detect import DetectOptions, analyse, detect_files, parent_request


def test_report_validates_and_round_trips(sample_dir):
    report = detect_files([str(sample_dir)], DetectOptions(ladder_steps=6))
    doc = json.loads(report.to_json())
    jsonschema.validate(doc, json_schema("detect"))
    assert validate_report(doc) == "detect"
    assert DetectReport.model_validate_json(report.to_json()) == report
    assert len(report.results) == 11 and all(r.error is None for r in report.results)
    assert [f.path for f in report.inputs.files] == sorted(f.path for f in report.inputs.files)
    assert all(len(f.sha256) == 64 for f in report.inputs.files)


def test_parent_report_validates_and_round_trips(sample_dir):
    # a crystal parent or a named space group fits the crystal child and is refused for the molecule
    for kw, refusal in (({"parent_path": str(sample_dir / "BaTiO3_Pm-3m.cif")}, "is a molecule but --parent"),
                        ({"parent_group": "Pm-3m"}, "names a space group"), ({"parent_group": "Oh"}, None)):
        req = parent_request(**kw, lmax=4, character_table=True)
        report = detect_files([str(sample_dir / "BaTiO3_P4mm.cif"), str(sample_dir / "NH3.xyz")],
                              DetectOptions(ladder=False, parent=req))
        doc = json.loads(report.to_json())
        jsonschema.validate(doc, json_schema("detect"))
        assert DetectReport.model_validate(doc) == report
        crystal, molecule = report.results
        assert crystal.parent is not None and crystal.character_table.schoenflies == "C4v"
        if refusal:
            assert refusal in molecule.error and molecule.error.startswith(str(sample_dir / "NH3.xyz"))
        else:
            assert molecule.parent.frame_code == "named_group" and molecule.parent.relation.child == "C3v"


def test_verdict_tolerances_are_beside_the_verdicts(sample_dir):
    req = parent_request(parent_path=str(sample_dir / "SrTiO3_Pm-3m.cif"), max_strain=0.03)
    opts = DetectOptions(ladder_steps=6, max_displacement=0.08, symprec=2e-3, parent=req)
    (r,) = detect_files([str(sample_dir / "SrTiO3_I4mcm.cif")], opts).results
    assert r.max_displacement_allowed_A == 0.08 and r.approximate.max_displacement_A <= 0.08
    assert all(s.tolerance_A > 0 for s in r.ladder)
    p = r.parent
    assert (p.symprec_A, p.angle_tolerance_deg, p.lattice.max_strain_allowed) == (2e-3, -1.0, 0.03)
    assert p.relation.matrix_tolerance == 1e-5 and p.frame_code == "parent_standard"
    (m,) = detect_files([str(sample_dir / "CH4.xyz")], DetectOptions(ladder=False)).results
    assert (m.molecule.tolerance_A, m.molecule.matrix_tolerance, m.max_displacement_allowed_A) == (0.01, 0.02, None)


def test_values_are_rounded_only_in_the_report(sample_dir):
    """The domain object keeps full precision; the report rounds (Cartesian matrices to 12
    decimals, ladder displacements to 6) and nothing else changes."""
    cell = read_structures(str(sample_dir / "C60.xyz"))[0]
    a = analyse_cell(cell, ladder_tolerances=np.geomspace(1e-3, 0.1, 6))
    r = structure_result(a)
    R = np.array([op.rotation for op in r.molecule.operations])
    assert np.abs(R - a.symmetry.operations).max() <= 5e-13
    assert len(R) == a.symmetry.order == 120 and [op.seitz for op in r.molecule.operations] == list(a.symmetry.symbols)
    for step, model in zip(a.ladder, r.ladder):
        assert model.max_displacement_A == round(step.max_displacement, 6) and model.tolerance_A == step.tolerance
    assert r.approximate == r.ladder[a.ladder.index(a.approximate)]


def test_crystal_entry_copies_the_domain_object(sample_dir):
    cell = read_structures(str(sample_dir / "SrTiO3_I4mcm.cif"))[0]
    a = analyse(cell, DetectOptions(ladder=False))
    c = structure_result(a).crystal
    s = a.symmetry
    assert (c.space_group_number, c.hm_short, c.n_operations) == (s.number, s.hm_short, len(s.rotations))
    assert np.array_equal(np.array([op.rotation for op in c.operations]), s.rotations)
    assert np.allclose(np.array([op.translation for op in c.operations]), s.translations, atol=1e-9)
    assert [o.atoms for o in c.wyckoff] == [(o.atoms + 1).tolist() for o in s.wyckoff]  # 1-based in the report
    assert c.lattice.c_A == s.lattice_parameters.c


def test_group_models_round_trip_and_mark_the_breaking_irreps():
    from symbreak_cli.render.groups import group_analysis_section
    from symbreak_cli.results.groups import CharacterTableModel, O3BranchingModel, SubgroupRelationModel
    from symbreak_cli.workflows._group_results import character_table_model, o3_branching_model, subgroup_relation_model

    G, H = PointGroup.named("Oh"), PointGroup.named("C4v")
    t, r, b = character_table_model(G, H), subgroup_relation_model(G, H), o3_branching_model(G, H, lmax=4)
    for model, cls in ((t, CharacterTableModel), (r, SubgroupRelationModel), (b, O3BranchingModel)):
        assert cls.model_validate_json(model.model_dump_json()) == model
    # textbook Oh → C4v: Eg (strain GM3+) and T1u (polar GM4-); A1g restricts to A1 but is the invariant part
    assert [ir.label for ir in t.irreps if ir.breaking] == ["Eg", "T1u"]
    assert {ir.label: ir.multiplicity for ir in t.irreps if ir.multiplicity} == {"A1g": 1, "Eg": 1, "T1u": 1}
    assert r.n_domains == 6 and len(r.coset_representatives) == 6 and r.matrix_tolerance == 1e-5
    sec = group_analysis_section(t, r, b)
    table = sec.blocks[1]
    assert {table.rows[k][0] for k in table.highlight} == {"Eg", "T1u"}
    assert "1o" in {sec.blocks[2].rows[k][0] for k in sec.blocks[2].highlight}


def test_group_models_do_not_import_torch():
    code = ("import sys; from symbreak_cli.groups import PointGroup;"
            "from symbreak_cli.workflows._group_results import o3_branching_model, character_table_model;"
            "G=PointGroup.named('Oh'); H=PointGroup.named('D4h');"
            "o3_branching_model(G, H); character_table_model(G, H);"
            "assert 'torch' not in sys.modules and 'e3nn' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_options_import_is_light():
    code = ("import sys; import symbreak_cli.workflows.options as o; o.DetectOptions(); o.ParentRequest();"
            "heavy = {'numpy', 'spglib', 'torch', 'pydantic'} & set(sys.modules); assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True)
