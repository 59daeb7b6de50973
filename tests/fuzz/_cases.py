"""Seeded generation of malformed inputs for every format symbreak reads.

:func:`make_cases` writes the files into a directory and returns one :class:`Case` per file.
Each case says which input *family* it belongs to (``structure``, ``trajectory``, ``h5``,
``report``) and what a correct program must do with it:

``fail``
    the file is broken in a way no reader may paper over (empty, non-finite or absurd
    numbers in the coordinates or cell, singular cells, coincident atoms, unknown
    elements, a truncated atom list whose declared count says so, missing or
    mis-shaped datasets, an unknown or future schema): exit 1 or 2, never 0.
``same``
    the file means exactly what its seed means (a UTF-8 BOM, CRLF line ends, trailing
    blank lines, an upper-case extension): exit 0 with the seed's answer.
``any``
    a random truncation or byte flip that may or may not still mean something: exit 0
    only with a report that validates against its schema, else exit 1 or 2.

Everything is derived from ``random.Random(seed)``, so a failure reproduces by its case
name alone.
"""

from __future__ import annotations

import io
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
FIXTURES = Path(__file__).resolve().parents[1] / "io" / "data"


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    family: str  # structure | trajectory | h5 | report
    expect: str  # fail | same | any
    seed_key: str = ""  # for 'same': which seed's answer it must reproduce
    args: tuple[str, ...] = ()  # extra command-line words (the child for --parent, option values)
    names: tuple[str, ...] = ()  # a refusal must name one of these (empty: the file itself)


# --------------------------------------------------------------------------------------
# seeds: small valid files of every format
# --------------------------------------------------------------------------------------
_POSCAR = "BaTiO3 P4mm\n1.0\n3.99 0 0\n0 3.99 0\n0 0 4.03\nBa Ti O\n1 1 3\nDirect\n0 0 0\n0.5 0.5 0.52\n0.5 0.5 0.0\n0.5 0 0.5\n0 0.5 0.5\n"
_EXTXYZ = ('5\nLattice="3.99 0 0 0 3.99 0 0 0 4.03" Properties=species:S:1:pos:R:3 pbc="T T T"\n'
           "Ba 0 0 0\nTi 1.995 1.995 2.0956\nO 1.995 1.995 0\nO 1.995 0 2.015\nO 0 1.995 2.015\n")


def _traj_bytes(frames: int = 3) -> bytes:
    import ase
    import ase.io

    buf = io.BytesIO()
    images = [ase.Atoms("H2O", positions=[[0, 0, 0.119], [0, 0.763, -0.477 + 0.01 * i], [0, -0.763, -0.477]])
              for i in range(frames)]
    ase.io.write(buf, images, format="traj")
    return buf.getvalue()


def _pmg_json() -> str:
    from pymatgen.core import Lattice, Structure

    s = Structure.from_spacegroup("Fm-3m", Lattice.cubic(5.64), ["Na", "Cl"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    return json.dumps(s.as_dict())


def seeds() -> dict[str, tuple[str, bytes]]:
    """seed key -> (file name, bytes): one small valid file per format."""
    return {
        "cif": ("BaTiO3_P4mm.cif", (SAMPLE / "BaTiO3_P4mm.cif").read_bytes()),
        "cif_nacl": ("NaCl.cif", (FIXTURES / "NaCl_old_style_Fm3m.cif").read_bytes()),
        "poscar": ("POSCAR", _POSCAR.encode()),
        "xyz": ("NH3.xyz", (SAMPLE / "NH3.xyz").read_bytes()),
        "extxyz": ("BaTiO3.extxyz", _EXTXYZ.encode()),
        "traj": ("H2O.traj", _traj_bytes()),
        "json": ("NaCl.json", _pmg_json().encode()),
    }


# --------------------------------------------------------------------------------------
# text mutations
# --------------------------------------------------------------------------------------
_NUMBER = re.compile(rb"(?<![A-Za-z_])-?\d+\.\d+(?:[eE][-+]?\d+)?")
_BAD_NUMBERS = [b"1e308", b"-1e308", b"nan", b"NaN", b"inf", b"-inf", b"1e400", b"9" * 400]


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, max(2, len(data) - 1))]


def _flip(rng: random.Random, data: bytes, n: int) -> bytes:
    b = bytearray(data)
    for _ in range(n):
        b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def _replace_number(rng: random.Random, data: bytes, value: bytes) -> bytes:
    spans = [m.span() for m in _NUMBER.finditer(data)]
    i, j = rng.choice(spans)
    return data[:i] + value + data[j:]


def _text_mutations(rng: random.Random, key: str, name: str, data: bytes) -> list[tuple[str, str, bytes, str]]:
    """(case name, file name, bytes, expect) for one text seed."""
    stem, dot, ext = name.rpartition(".")
    out: list[tuple[str, str, bytes, str]] = []
    for i in range(12):
        out.append((f"{key}-trunc{i}", name, _truncate(rng, data), "any"))
    for i in range(12):
        out.append((f"{key}-flip{i}", name, _flip(rng, data, rng.choice([1, 3, 20])), "any"))
    for i, v in enumerate(_BAD_NUMBERS):
        out.append((f"{key}-num{i}", name, _replace_number(rng, data, v), "any"))
    out += [
        (f"{key}-empty", name, b"", "fail"),
        (f"{key}-blank", name, b"  \n\n \t\n", "fail"),
        (f"{key}-nul", name, b"\x00" * 64 + data, "fail"),
        (f"{key}-binary", name, bytes(rng.randrange(256) for _ in range(300)), "fail"),
        (f"{key}-latin1", name, data.replace(b"\n", "\n\xe9\n".encode("latin-1"), 1), "any"),
        (f"{key}-bom", name, b"\xef\xbb\xbf" + data, "same"),
        (f"{key}-crlf", name, data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"), "same"),
        (f"{key}-trailing", name, data + b"\n\n\n", "same"),
    ]
    if ext and key != "poscar":
        out.append((f"{key}-upperext", f"{stem}.{ext.upper()}", data, "same"))
    # content of another format under this name, and this content under other names
    out.append((f"{key}-as-other", name, b"this is not a structure file\n" * 3, "fail"))
    for other in ("x.cif", "x.xyz", "x.json", "x.traj", "POSCAR"):
        if other.rsplit(".", 1)[-1] != ext and not (other == "POSCAR" and key == "poscar"):
            out.append((f"{key}-named-{other}", f"{key}_{other}", data, "any"))
    out.append((f"{key}-unknown-ext", f"{stem}.dat", data, "fail"))
    return out


def _structural_cases() -> list[tuple[str, str, bytes, str]]:
    """Hand-targeted classes that must fail: cells, coordinates, elements, coincident atoms."""
    nacl = (FIXTURES / "NaCl_old_style_Fm3m.cif").read_text()
    cif = (SAMPLE / "BaTiO3_P4mm.cif").read_text()
    out: list[tuple[str, str, bytes, str]] = []

    def add(name, fname, text, expect="fail"):
        out.append((name, fname, text.encode() if isinstance(text, str) else text, expect))

    for field in ("a", "b", "c"):
        for v in ("0", "-3.99", "nan", "inf", "1e308", "?", "."):
            add(f"cif-cell-{field}-{v}", "cell.cif",
                re.sub(rf"_cell_length_{field}\s+\S+", f"_cell_length_{field} {v}", cif))
    for ang in ("alpha", "beta", "gamma"):
        for v in ("0", "180", "360", "-90", "nan"):
            add(f"cif-angle-{ang}-{v}", "angle.cif", re.sub(rf"_cell_angle_{ang}\s+\S+", f"_cell_angle_{ang} {v}", cif))
    add("cif-flat", "flat.cif", re.sub(r"_cell_angle_(alpha|beta|gamma)\s+\S+", r"_cell_angle_\1 120", cif))
    for sym in ("Xx", "Qq", "Zz9", "123"):
        add(f"cif-element-{sym}", "el.cif", nacl.replace("Na1 Na+", f"{sym}1 {sym}"))
    add("cif-no-atoms", "noatoms.cif", cif.split("loop_\n _atom_site_type_symbol")[0])
    add("cif-no-cell", "nocell.cif", re.sub(r"_cell_length_\w\s+\S+\n", "", cif))
    add("cif-coincident", "same.cif", nacl.replace("Cl1 Cl- 0.5 0.5 0.5 1.0",
                                                     "Cl1 Cl- 0.5 0.5 0.5 1.0\nCl2 Cl- 0.5 0.5 0.5 1.0"))
    add("cif-deep-loop", "deeploop.cif", "data_x\n" + "loop_\n_a\n" * 5000)
    add("cif-huge-line", "hugeline.cif", "data_x\n_cell_length_a " + "9" * 200000 + "\n")

    pos = _POSCAR.splitlines(keepends=True)
    def poscar(lines):
        return "".join(lines)
    for i, vec in enumerate(("0 0 0\n", "nan 0 0\n", "inf inf inf\n", "1e308 0 0\n", "3.99 0 0\n")):
        lines = list(pos)
        lines[3 + (1 if i == 4 else 0)] = vec  # i == 4: b parallel to a (singular)
        add(f"poscar-lattice{i}", "POSCAR", poscar(lines))
    for s in ("0", "-0", "nan", "inf", "-1e308", "abc"):
        lines = list(pos)
        lines[1] = s + "\n"
        add(f"poscar-scale-{s}", "POSCAR", poscar(lines))
    for sym in ("Xx", "Qq", ""):
        lines = list(pos)
        lines[5] = f"Ba {sym} O\n" if sym else "Ba O\n"
        add(f"poscar-element-{sym or 'missing'}", "POSCAR", poscar(lines))
    for counts in ("1 1 9", "1 1 -3", "1 1 x", "0 0 0", "1 1 3 4"):
        lines = list(pos)
        lines[6] = counts + "\n"
        add(f"poscar-counts-{counts.replace(' ', '_')}", "POSCAR", poscar(lines))
    add("poscar-short", "POSCAR", poscar(pos[:10]))

    h2o = "3\n\nO 0 0 0.119\nH 0 0.763 -0.477\nH 0 -0.763 -0.477\n"
    for v in ("nan", "inf", "1e308", "-1e308"):
        add(f"xyz-coord-{v}", "bad.xyz", h2o.replace("0.763", v, 1))
    for sym in ("Xx", "Qq", "0", "?"):
        add(f"xyz-element-{sym}", "el.xyz", h2o.replace("O ", f"{sym} ", 1))
    add("xyz-count-high", "count.xyz", h2o.replace("3\n", "30\n", 1))
    add("xyz-count-low", "count.xyz", h2o.replace("3\n", "1\n", 1) + "junk junk\n")
    add("xyz-count-neg", "count.xyz", h2o.replace("3\n", "-3\n", 1))
    for n in (2000, 5000):
        add(f"xyz-coincident-{n}", "pile.xyz", f"{n}\n\n" + "C 1.0 2.0 3.0\n" * n)
    add("extxyz-coincident-3000", "pile.extxyz", '3000\nLattice="5 0 0 0 5 0 0 0 5" pbc="T T T"\n' + "C 1 1 1\n" * 3000)
    for lat in ("0 0 0 0 0 0 0 0 0", "4 0 0 8 0 0 0 0 4", "nan 0 0 0 4 0 0 0 4", "inf 0 0 0 4 0 0 0 4",
                "4 0 0 0 4 0"):
        add(f"extxyz-lattice-{lat.replace(' ', '_')}", "lat.extxyz",
            _EXTXYZ.replace("3.99 0 0 0 3.99 0 0 0 4.03", lat))
    add("extxyz-left-handed", "lat.extxyz", _EXTXYZ.replace("3.99 0 0 0 3.99 0 0 0 4.03", "-3.99 0 0 0 3.99 0 0 0 4.03"),
        "any")  # a left-handed cell is still a cell
    add("extxyz-pbc-nolattice", "nolat.extxyz", '2\npbc="T T T"\nH 0 0 0\nH 0 0 0.74\n')
    add("extxyz-slab", "slab.extxyz", _EXTXYZ.replace('pbc="T T T"', 'pbc="T T F"'),
        "any")  # periodic along a and b only: a slab, analysed as a layer group (tests/symmetry/test_layer.py)
    add("extxyz-bad-properties", "props.extxyz", _EXTXYZ.replace("pos:R:3", "pos:R:2"))

    nacl_json = json.loads(_pmg_json())
    def pj(name, doc, expect="fail"):
        add(f"json-{name}", f"{name}.json", json.dumps(doc) if not isinstance(doc, (str, bytes)) else doc, expect)
    pj("list", [1, 2, 3])
    pj("null", None)
    pj("string", "hello")
    pj("no-class", {k: v for k, v in nacl_json.items() if k != "@class"}, "any")  # lattice + sites: still a crystal
    pj("wrong-class", {**nacl_json, "@class": "Potato"}, "any")
    pj("no-lattice", {k: v for k, v in nacl_json.items() if k != "lattice"})
    pj("no-sites", {**nacl_json, "sites": []})
    pj("lattice-zero", {**nacl_json, "lattice": {**nacl_json["lattice"], "matrix": [[0, 0, 0]] * 3}})
    pj("lattice-nan", {**nacl_json, "lattice": {**nacl_json["lattice"], "matrix": [[float("nan"), 0, 0], [0, 5, 0], [0, 0, 5]]}})
    pj("lattice-shape", {**nacl_json, "lattice": {**nacl_json["lattice"], "matrix": [[5, 0], [0, 5]]}})
    pj("lattice-string", {**nacl_json, "lattice": "cubic"})
    site = nacl_json["sites"][0]
    pj("site-element", {**nacl_json, "sites": [{**site, "species": [{"element": "Xx", "occu": 1}]}]})
    pj("site-abc-short", {**nacl_json, "sites": [{**site, "abc": [0, 0]}]})
    pj("site-abc-inf", {**nacl_json, "sites": [{**site, "abc": [1e308, 0, 0]}]})
    pj("site-abc-str", {**nacl_json, "sites": [{**site, "abc": ["a", "b", "c"]}]})
    pj("site-no-species", {**nacl_json, "sites": [{k: v for k, v in site.items() if k != "species"}]})
    pj("sites-dict", {**nacl_json, "sites": {"a": 1}})
    pj("deep", "[" * 100000 + "]" * 100000)
    pj("deep-dict", '{"a":' * 50000 + "1" + "}" * 50000)
    pj("trailing", json.dumps(nacl_json) + "garbage{")
    pj("nan-literal", json.dumps(nacl_json).replace('"abc": [0.0', '"abc": [NaN', 1))
    pj("molecule-no-coords", {"@module": "pymatgen.core.structure", "@class": "Molecule", "sites": [{"species": [{"element": "H", "occu": 1}]}]})
    pj("transformed-empty", {"@module": "pymatgen.alchemy.materials", "@class": "TransformedStructure"})
    return out


# --------------------------------------------------------------------------------------
# HDF5: H5MD and pairs layouts
# --------------------------------------------------------------------------------------
def _h5(fill) -> bytes:
    import h5py

    buf = io.BytesIO()
    with h5py.File(buf, "w") as fh:
        fill(fh)
    return buf.getvalue()


def _h5_cases(rng: random.Random) -> list[tuple[str, str, bytes, str]]:
    out: list[tuple[str, str, bytes, str]] = []
    t, n = 12, 3
    good = np.random.default_rng(0).normal(size=(t, n, 3))
    bad_values = {
        "2d": good[:, :, 0], "lastdim2": good[..., :2], "4d": good[None], "scalar": np.float64(1.0),
        "empty": np.zeros((0, n, 3)), "one-frame": good[:1], "one-atom": good[:, :1], "nan": np.where(good > 1.5, np.nan, good),
        "inf": np.where(good > 1.5, np.inf, good), "huge": np.where(good > 1.5, 1e308, good), "strings": np.array([b"abc"] * 6),
        "complex": good.astype(np.complex128), "bool": good > 0, "object-str": np.array(["x", "y"], dtype=object),
        "zero-atoms": np.zeros((t, 0, 3)),
    }
    import h5py

    for key, value in bad_values.items():
        def h5md(fh, value=value):
            g = fh.create_group("particles/all/position")
            if isinstance(value, np.ndarray) and value.dtype == object:
                g.create_dataset("value", data=value, dtype=h5py.string_dtype())
            else:
                g.create_dataset("value", data=value)
        # one particle is a valid H5MD trajectory (a charged particle in a field)
        out.append((f"h5md-position-{key}", "traj.h5", _h5(h5md), "any" if key == "one-atom" else "fail"))

        def pairs(fh, value=value, where="input"):
            inp = value if where == "input" else good
            tgt = good if where == "input" else value
            for name, v in (("input", inp), ("target", tgt)):
                g = fh.require_group(f"pairs/{name}")
                if isinstance(v, np.ndarray) and v.dtype == object:
                    g.create_dataset("position", data=v, dtype=h5py.string_dtype())
                else:
                    g.create_dataset("position", data=v)
        if key not in ("one-frame",):  # one sample is a valid pairs file
            out.append((f"pairs-input-{key}", "pairs.h5", _h5(pairs), "fail"))
        out.append((f"pairs-target-{key}", "pairs.h5", _h5(lambda fh, v=value: pairs(fh, v, "target")), "fail"))

    def missing(fh):
        fh.create_group("particles/all/position")
    out.append(("h5md-missing-value", "traj.h5", _h5(missing), "fail"))
    out.append(("h5md-no-groups", "traj.h5", _h5(lambda fh: fh.create_group("particles")), "fail"))
    out.append(("h5md-two-groups", "traj.h5", _h5(lambda fh: [fh.create_dataset(f"particles/{g}/position/value", data=good)
                                                               for g in ("a", "b")]), "fail"))
    out.append(("h5md-value-is-group", "traj.h5", _h5(lambda fh: fh.create_group("particles/all/position/value")), "fail"))
    out.append(("h5-nothing", "empty.h5", _h5(lambda fh: None), "fail"))
    out.append(("h5-unrelated", "other.h5", _h5(lambda fh: fh.create_dataset("data", data=good)), "fail"))
    out.append(("pairs-missing-target", "pairs.h5", _h5(lambda fh: fh.create_dataset("pairs/input/position", data=good)), "fail"))
    out.append(("pairs-shape-mismatch", "pairs.h5", _h5(lambda fh: [fh.create_dataset("pairs/input/position", data=good),
                                                                   fh.create_dataset("pairs/target/position", data=good[:, :2])]),
                "fail"))

    def with_extra(name, value):
        def fill(fh):
            fh.create_dataset("particles/all/position/value", data=good)
            fh.create_dataset(f"particles/all/{name}", data=value)
        return _h5(fill)
    for name, value in (("velocity/value", good[:, :2]), ("velocity/value", np.full_like(good, np.nan)),
                        ("species", np.arange(n + 2)), ("species", np.array([b"H"] * n)),
                        ("position/time", np.zeros(t)), ("position/time", np.arange(t - 1.0)),
                        ("position/time", np.full(t, np.nan)), ("box/edges", np.array([1.0, 2.0])),
                        ("box/edges", np.array([0.0, 0.0, 0.0])), ("box/edges", np.full(3, np.nan))):
        out.append((f"h5md-{name.replace('/', '_')}-{len(out)}", "traj.h5", with_extra(name, value), "fail"))

    def features(value):
        def fill(fh):
            fh.create_dataset("pairs/input/position", data=good)
            fh.create_dataset("pairs/target/position", data=good + 0.1)
            fh.create_dataset("pairs/input/features", data=value)
        return _h5(fill)
    for i, value in enumerate((np.zeros((t, n + 1, 1)), np.full((t, n, 1), np.nan), np.array([b"x"] * t), np.zeros(4))):
        out.append((f"pairs-features-{i}", "pairs.h5", features(value), "fail"))
    out.append(("fields-layout", "fields.h5", _h5(lambda fh: fh.create_dataset("fields/input", data=np.zeros((2, 1, 4, 4, 4)))),
                "fail"))

    seed_h5 = (SAMPLE / "cube_to_prism.h5").read_bytes()
    for i in range(10):
        out.append((f"h5-trunc{i}", "trunc.h5", _truncate(rng, seed_h5), "fail"))
    for i in range(10):
        out.append((f"h5-flip{i}", "flip.h5", _flip(rng, seed_h5, rng.choice([1, 5, 50])), "any"))
    out.append(("h5-text", "text.h5", b"not an hdf5 file\n", "fail"))
    out.append(("h5-empty", "empty2.h5", b"", "fail"))
    return out


# --------------------------------------------------------------------------------------
# JSON reports
# --------------------------------------------------------------------------------------
def _report_cases(rng: random.Random, detect_report: dict) -> list[tuple[str, str, bytes, str]]:
    out: list[tuple[str, str, bytes, str]] = []
    text = json.dumps(detect_report, indent=1)

    def add(name, doc, expect="fail"):
        data = doc if isinstance(doc, bytes) else (doc.encode() if isinstance(doc, str) else json.dumps(doc).encode())
        out.append((f"report-{name}", f"{name}.json", data, expect))

    for sid in ("symbreak.detect/9", "symbreak.detect/0", "symbreak.detect/x", "symbreak.nope/1", "symbreak.detect",
                "other.detect/1", "", 1, None, ["symbreak.detect/1"], "symbreak.train/99", "symbreak.detect/1.7.x"):
        add(f"schema-{sid!r}"[:40].replace("/", "_"), {**detect_report, "schema": sid})
    add("no-schema", {k: v for k, v in detect_report.items() if k != "schema"})
    for key in [k for k in detect_report if k != "schema"]:
        # results are the report; the version string and provenance are context a renderer may do without
        add(f"missing-{key}", {k: v for k, v in detect_report.items() if k != key}, "fail" if key == "results" else "any")
        add(f"wrongtype-{key}", {**detect_report, key: "x" * 3}, "any" if key == "symbreak_version" else "fail")
    res = detect_report["results"][0]
    for key in res:
        add(f"result-wrongtype-{key}", {**detect_report, "results": [{**res, key: {"nested": [1, 2]}}]})
    add("deep", '{"schema": "symbreak.detect/1", "results": ' + "[" * 100000 + "]" * 100000 + "}")
    add("deep-obj", '{"schema": "symbreak.detect/1", "x": ' + '{"a":' * 50000 + "1" + "}" * 50000 + "}")
    add("trailing", text + "\n}garbage")
    add("two-docs", text + "\n" + text)
    add("list", [detect_report])
    add("string", '"symbreak.detect/1"')
    add("nan", text.replace('"symprec_A": 1e-05', '"symprec_A": NaN'), "any")
    add("empty", b"")
    add("bom", b"\xef\xbb\xbf" + text.encode(), "any")
    add("utf16", text.encode("utf-16"))
    add("latin1", text.replace('"path"', '"p\xe4th"', 1).encode("latin-1"))
    add("binary", bytes(rng.randrange(256) for _ in range(500)))
    # fields that look like code or paths are data, never executed or opened
    evil = {**res, "path": "__import__('os').system('touch PWNED')", "formula": "$(touch PWNED)",
            "label": "../../../../etc/passwd"}
    add("code-in-fields", {**detect_report, "results": [evil]}, "any")
    for i in range(15):
        add(f"trunc{i}", _truncate(rng, text.encode()))
    for i in range(15):
        add(f"flip{i}", _flip(rng, text.encode(), rng.choice([1, 3, 10])), "any")
    return out


# --------------------------------------------------------------------------------------
def make_cases(root: Path, detect_report: dict, seed: int = 20261201) -> tuple[list[Case], dict[str, Path]]:
    """Write every malformed file under ``root``; return the cases and the seed files."""
    rng = random.Random(seed)
    raw: list[tuple[str, str, bytes, str, str]] = []
    seed_paths: dict[str, Path] = {}
    sd = root / "seeds"
    sd.mkdir(parents=True, exist_ok=True)
    for key, (name, data) in seeds().items():
        (sd / name).write_bytes(data)
        seed_paths[key] = sd / name
        muts = _text_mutations(rng, key, name, data) if key != "traj" else [
            *[(f"traj-trunc{i}", name, _truncate(rng, data), "any") for i in range(12)],  # whole early frames may remain
            *[(f"traj-flip{i}", name, _flip(rng, data, rng.choice([1, 3, 20])), "any") for i in range(12)],
            ("traj-empty", name, b"", "fail"), ("traj-text", name, b"not a trajectory\n", "fail"),
            ("traj-upperext", "H2O.TRAJ", data, "same"),
        ]
        raw += [(*m, key) for m in muts]
    raw += [(*m, "") for m in _structural_cases()]
    raw += [(*m, "") for m in _h5_cases(rng)]
    raw += [(*m, "") for m in _report_cases(rng, detect_report)]

    cases = []
    for i, (name, fname, data, expect, key) in enumerate(raw):
        d = root / f"{i:04d}"
        d.mkdir(exist_ok=True)
        p = d / fname
        p.write_bytes(data)
        if fname.endswith((".h5",)):
            family = "h5"
        elif name.startswith("report-"):
            family = "report"
        elif fname.lower().endswith((".traj", ".extxyz")) and not name.startswith("report-"):
            family = "trajectory"
        else:
            family = "structure"
        cases.append(Case(name, p, family, expect, key if expect == "same" else ""))
    from ._cases_commands import fields_cases, option_cases, parent_cases, pointcloud_cases

    more = fields_cases(rng) + pointcloud_cases(rng) + parent_cases(root) + option_cases()
    for j, (name, fname, data, expect, family, args, names) in enumerate(more, start=len(raw)):
        d = root / f"{j:04d}"
        d.mkdir(exist_ok=True)
        p = d / fname
        if data is not None:
            p.write_bytes(data)
        cases.append(Case(name, p, family, expect, "", tuple(args), tuple(names)))
    return cases, seed_paths
