"""Seeded malformed inputs for the commands beyond plain reading (issue 16, deliverable 1).

Each generator returns tuples ``(name, file name, bytes | None, expect, family, args, names)``
written by :func:`tests.fuzz._cases.make_cases`; ``bytes`` None means the case's file is
one of the sample files (``args`` hold it). Families:

``fields``
    ``/fields`` HDF5 files for ``train-relaxed --model gconv``: missing datasets, every
    mis-shape (1D and 4D grids, unequal sides, samples/grid disagreeing), wrong dtypes,
    strings, empty, NaN/inf/overflowing values, channel-type attributes missing, garbage or
    not matching C, periodic attributes that are not a boolean, a grid for the wrong group.
``pointcloud``
    ``/pairs`` sets for ``train-relaxed --sympe``: coincident and collinear clouds,
    overflowing or subnormal coordinates, one or two samples, inputs equal to targets.
``parent``
    ``detect CHILD --parent PARENT``: the case's file is the parent; ``args[0]`` the child.
``pseudo`` / ``breakopts``
    option values (NaN, negative, zero, inf, garbage) for ``detect --pseudo`` and ``break``.
``run``
    malformed ``train-relaxed --sympe`` run directories for ``break --model`` (made by
    :func:`run_cases` from a real tiny run, in the fixture).

``names`` lists strings of which one must appear in a refusal (the file, or the option that
is wrong); empty means the case's own path.
"""

from __future__ import annotations

import io
import json
import random
import shutil
from pathlib import Path

import numpy as np

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
FIXTURES = Path(__file__).resolve().parents[1] / "io" / "data"


def _h5(fill) -> bytes:
    import h5py

    buf = io.BytesIO()
    with h5py.File(buf, "w") as fh:
        fill(fh)
    return buf.getvalue()


def _fields_file(x, y, tin=None, tout=None, periodic=None, string=False) -> bytes:
    import h5py

    def fill(fh):
        g = fh.create_group("fields")
        if periodic is not None:
            g.attrs["periodic"] = periodic
        for name, v, t in (("input", x, tin), ("target", y, tout)):
            if v is None:
                continue
            if isinstance(v, str):  # a group where a dataset belongs
                g.create_group(name)
                continue
            d = g.create_dataset(name, data=v, dtype=h5py.string_dtype() if string and name == "input" else None)
            if t is not None:
                d.attrs["channel_types"] = t
    return _h5(fill)


def fields_cases(rng: random.Random) -> list[tuple]:
    out: list[tuple] = []
    r = np.random.default_rng(rng.randrange(2 ** 31))
    x2 = r.normal(size=(6, 1, 5, 5))
    x3 = r.normal(size=(4, 1, 4, 4, 4))

    def add(name, data, expect="fail", args=()):
        out.append((f"fields-{name}", "fields.h5", data, expect, "fields", tuple(args), ()))

    add("ok-2d", _fields_file(x2, np.roll(x2, 1, axis=-1)), "any")  # a valid file: trains, exit 0 with a report
    add("ok-3d-int", _fields_file((x3 * 10).astype(np.int32), (x3 * 10).astype(np.int32)), "any")
    add("no-input", _fields_file(None, x2))
    add("no-target", _fields_file(x2, None))
    add("input-is-group", _fields_file("group", x2))
    add("target-is-group", _fields_file(x2, "group"))
    add("group-only", _h5(lambda fh: fh.create_group("fields")))
    shapes = {"scalar": np.float64(1.0), "1d-grid": r.normal(size=(6, 1, 5)), "4d-grid": r.normal(size=(2, 1, 3, 3, 3, 3)),
              "2d-array": r.normal(size=(6, 5)), "unequal-2d": r.normal(size=(6, 1, 5, 4)),
              "unequal-3d": r.normal(size=(4, 1, 4, 4, 5)), "no-samples": np.zeros((0, 1, 5, 5)),
              "no-channels": np.zeros((6, 0, 5, 5)), "no-voxels": np.zeros((6, 1, 0, 0))}
    for key, v in shapes.items():
        add(f"input-{key}", _fields_file(v, v if getattr(v, "ndim", 0) else x2))
        add(f"target-{key}", _fields_file(x2, v))
    add("target-other-grid", _fields_file(x2, r.normal(size=(6, 1, 4, 4))))
    add("target-other-samples", _fields_file(x2, r.normal(size=(5, 1, 5, 5))))
    add("target-other-dim", _fields_file(x2, r.normal(size=(6, 1, 5, 5, 5))))
    dtypes = {"bool": x2 > 0, "complex": x2.astype(np.complex128), "bytes": np.array([b"abc"] * 6)}
    for key, v in dtypes.items():
        add(f"input-{key}", _fields_file(v, x2))
        add(f"target-{key}", _fields_file(x2, v))
    add("input-strings", _fields_file(np.array(["a", "b"], dtype=object), x2, string=True))
    for key, bad in (("nan", np.nan), ("inf", np.inf), ("-inf", -np.inf), ("1e308", 1e308), ("1e200", 1e200)):
        v = np.where(x2 > 1.0, bad, x2)
        add(f"input-{key}", _fields_file(v, x2))
        add(f"target-{key}", _fields_file(x2, v))
    s = np.array
    types = {"count": s([b"scalar", b"scalar"]), "unknown": s([b"tensor"]), "empty": s([], dtype="S1"),
             "int": s([1]), "vector-short": s([b"vector.x"]), "pseudovector-2d": s([b"pseudovector.x", b"pseudovector.y"]),
             "order": s([b"vector.y", b"vector.x"]), "float": s([1.5, 2.5]), "nested": s([[b"scalar"]]),
             "utf8": s(["skalär".encode()]), "junk-bytes": s([b"\xff\xfe"])}
    for key, t in types.items():
        c = 2 if key in ("pseudovector-2d", "order", "float") else 1
        xc = np.repeat(x2, c, axis=1)
        add(f"types-input-{key}", _fields_file(xc, x2, tin=t))
        add(f"types-target-{key}", _fields_file(x2, xc, tout=t))
    add("types-vector-3d-short", _fields_file(np.repeat(x3, 2, axis=1), x3, tin=s([b"vector.x", b"vector.y"])))
    for key, p in (("string", "garbage"), ("array", s([1, 0])), ("float-nan", np.nan), ("int-7", 7), ("bytes", b"yes"),
                   ("empty", s([], dtype=np.int64))):
        add(f"periodic-{key}", _fields_file(x2, x2, periodic=p))
    add("periodic-true", _fields_file(x2, np.roll(x2, 1, axis=-1), periodic=True), "any")
    # a group that does not act on the file's grid: the option is what is wrong
    out.append(("fields-group-3d-for-2d", "fields.h5", _fields_file(x2, x2), "fail", "fields", ("--group", "O"), ("--group",)))
    out.append(("fields-group-2d-for-3d", "fields.h5", _fields_file(x3, x3), "fail", "fields", ("--group", "C4"), ("--group",)))
    add("one-sample", _fields_file(x2[:1], x2[:1]), "any")  # one sample: train = validation, still a fit
    add("pairs-not-fields", _h5(lambda fh: fh.create_dataset("pairs/input/position", data=r.normal(size=(4, 3, 3)))))
    return out


def _pairs_file(x, y, features=None) -> bytes:
    def fill(fh):
        fh.create_dataset("pairs/input/position", data=x)
        fh.create_dataset("pairs/target/position", data=y)
        if features is not None:
            fh.create_dataset("pairs/input/features", data=features)
    return _h5(fill)


def pointcloud_cases(rng: random.Random) -> list[tuple]:
    out: list[tuple] = []
    r = np.random.default_rng(rng.randrange(2 ** 31))
    cube = np.array([[i, j, k] for i in (-1, 1) for j in (-1, 1) for k in (-1, 1)], float)
    x = np.repeat(cube[None], 6, axis=0)
    y = x * np.array([1.0, 1.0, 1.3])

    def add(name, data, expect="fail"):
        out.append((f"cloud-{name}", "cloud.h5", data, expect, "pointcloud", (), ()))

    add("coincident", _pairs_file(np.zeros((6, 8, 3)), np.zeros((6, 8, 3))))
    add("two-coincident", _pairs_file(np.repeat(np.array([[[0, 0, 0], [0, 0, 0], [1, 0, 0]]], float), 4, 0),
                                      np.repeat(np.array([[[0, 0, 0], [0, 0, 1], [1, 0, 0]]], float), 4, 0)))
    add("collinear", _pairs_file(np.repeat(np.array([[[0, 0, -1], [0, 0, 0], [0, 0, 1]]], float), 4, 0),
                                 np.repeat(np.array([[[0, 0, -1.2], [0, 0, 0], [0, 0, 1.2]]], float), 4, 0)), "any")
    add("overflow", _pairs_file(x * 1e200, y * 1e200))
    add("huge-1e154", _pairs_file(x * 1e154, y * 1e154))
    add("subnormal", _pairs_file(x * 1e-310, y * 1e-310))
    add("identity", _pairs_file(x, x), "any")  # nothing to break: a fit with zero loss is an answer
    # (a successful SymPE run costs seconds — its report draws 300 samples per model — so only
    # three valid sets are here: a linear cloud, a set with nothing to break, random clouds)
    add("features-nan", _pairs_file(x, y, np.full((6, 8, 1), np.nan)))
    add("features-strings", _pairs_file(x, y, np.array([b"H"] * 8)))
    add("random-clouds", _pairs_file(r.normal(size=(5, 6, 3)), r.normal(size=(5, 6, 3))), "any")
    add("targets-nan", _pairs_file(x, np.where(y > 1.2, np.nan, y)))
    return out


def parent_cases(root: Path) -> list[tuple]:
    """(child, parent) pairs; the case file is the parent, written under ``root``."""
    out: list[tuple] = []
    bto4 = str(SAMPLE / "BaTiO3_P4mm.cif")
    cubic = (SAMPLE / "BaTiO3_Pm-3m.cif").read_text()

    def add(name, fname, data, child, expect="fail", args=(), names=()):
        out.append((f"parent-{name}", fname, data if data is None or isinstance(data, bytes) else data.encode(), expect,
                    "parent", (child, *args), names))

    add("ok", "cubic.cif", cubic, bto4, "any")
    add("self", "self.cif", (SAMPLE / "BaTiO3_P4mm.cif").read_bytes(), bto4, "any")  # H = G: nothing lost, still a relation
    # other species: the group–subgroup relation still holds (m-3m → 4mm), the modes are
    # refused with a note (test_fuzz.ANSWER_CHECKS checks it): a right answer, not a refusal
    add("other-species", "sto.cif", (SAMPLE / "SrTiO3_Pm-3m.cif").read_bytes(), bto4, "any")
    add("unrelated", "nacl.cif", (FIXTURES / "NaCl_old_style_Fm3m.cif").read_bytes(), bto4)
    add("child-is-parent", "p4mm.cif", (SAMPLE / "BaTiO3_P4mm.cif").read_bytes(), str(SAMPLE / "BaTiO3_Pm-3m.cif"))
    add("lower-symmetry", "i4mcm.cif", (SAMPLE / "SrTiO3_I4mcm.cif").read_bytes(), str(SAMPLE / "SrTiO3_Pm-3m.cif"))
    add("scaled-x2", "big.cif", cubic.replace("4.00000000", "8.00000000"), bto4)
    add("scaled-x10", "huge.cif", cubic.replace("4.00000000", "40.0000000"), bto4)
    add("singular", "flat.cif", cubic.replace("_cell_angle_gamma   90.00000000", "_cell_angle_gamma   180.0000"), bto4)
    add("zero-cell", "zero.cif", cubic.replace("4.00000000", "0.00000000"), bto4)
    add("molecule", "NH3.xyz", (SAMPLE / "NH3.xyz").read_bytes(), bto4)
    add("crystal-for-molecule", "cubic2.cif", cubic, str(SAMPLE / "NH3.xyz"))
    add("other-molecule", "CH4.xyz", (SAMPLE / "CH4.xyz").read_bytes(), str(SAMPLE / "NH3.xyz"), "any")  # Td → C3v
    add("molecule-ok", "SF6.xyz", (SAMPLE / "SF6.xyz").read_bytes(), str(SAMPLE / "SF6.xyz"), "any")
    add("empty", "empty.cif", b"", bto4)
    add("truncated", "trunc.cif", cubic[: len(cubic) // 2], bto4)
    add("binary", "bin.cif", bytes(random.Random(5).randrange(256) for _ in range(300)), bto4)
    add("missing", "missing.cif", None, bto4)  # the file is not written
    add("extra-atom", "extra.cif", cubic.rstrip("\n") + "\n  O  O5  1  0.25  0.25  0.25  1\n", bto4)
    add("origin-unknown", "cubic3.cif", cubic, bto4, args=("--parent-origin", "Xx"), names=("Xx",))
    add("origin-garbage", "cubic4.cif", cubic, bto4, args=("--parent-origin", "; rm -rf"), names=("; rm -rf", "--parent-origin"))
    add("strain-nan", "cubic5.cif", cubic, bto4, args=("--max-strain", "nan"), names=("--max-strain",))
    add("strain-negative", "cubic6.cif", cubic, bto4, args=("--max-strain", "-0.1"), names=("--max-strain",))
    return out


def option_cases() -> list[tuple]:
    """Option values through ``detect --pseudo`` and ``break`` (the case file is a sample)."""
    out: list[tuple] = []
    p4mm = (SAMPLE / "BaTiO3_P4mm.cif").read_bytes()
    cubic = (SAMPLE / "BaTiO3_Pm-3m.cif").read_bytes()
    sf6 = (SAMPLE / "SF6.xyz").read_bytes()
    for v in ("0", "-1", "nan", "NaN", "inf", "-inf", "1e308", "-0", "abc"):
        expect = "any" if v in ("0", "-0", "inf", "1e308") else "fail"  # 0: no candidate; inf: every candidate
        out.append((f"pseudo-maxdisp-{v}", "P4mm.cif", p4mm, expect, "pseudo", ("--max-displacement", v),
                    ("--max-displacement",)))
    for v in ("nan", "-0.5"):
        out.append((f"pseudo-maxstrain-{v}", "P4mm.cif", p4mm, "fail", "pseudo", ("--max-strain", v), ("--max-strain",)))
    out.append(("pseudo-molecule", "NH3.xyz", (SAMPLE / "NH3.xyz").read_bytes(), "any", "pseudo", (), ()))
    out.append(("pseudo-cubic", "cubic.cif", cubic, "any", "pseudo", (), ()))  # already the aristotype: no candidate

    def brk(name, data, fname, args, expect="fail", names=()):
        out.append((f"break-{name}", fname, data, expect, "breakopts", tuple(args), names))
    for v in ("0", "-0.1", "nan", "inf", "1e308", "abc"):
        brk(f"amplitude-{v}", cubic, "cubic.cif", ("--to", "P4mm", "--amplitude", v), names=("--amplitude", "amplitude"))
    for v in ("nan", "-1", "inf", "1e308"):
        brk(f"strain-{v}", cubic, "cubic.cif", ("--to", "P4mm", "--strain", v), names=("--strain", "strain"))
    for v in ("0", "-3", "x", ""):
        brk(f"domains-{v or 'empty'}", sf6, "SF6.xyz", ("--to", "C4v", "--domains", v), names=("--domains",))
    for v in ("Xyz", "", "0", "999", "P4mm", "C7v", "Oh", "P 1 2 3 4"):
        brk(f"to-{v or 'empty'}-molecule", sf6, "SF6.xyz", ("--to", v), names=("--to", "SF6.xyz"))
    for v in ("Xyz", "231", "-1", "Pm-3m", "P6mm"):
        brk(f"to-{v}-crystal", cubic, "cubic.cif", ("--to", v), names=("--to", "cubic.cif"))
    for v in ("C4v", "Fm-3m"):  # a point group for a crystal; a k-type subgroup (doubled cell, R-point ordering)
        brk(f"to-{v}-crystal", cubic, "cubic.cif", ("--to", v), "any")
    for irrep, direction in (("ZZ9", None), ("GM4-", "x,y"), ("GM4-", "a,a,a,a"), ("GM4-", "nan,0,0"), ("R4+", ""),
                             ("GM1+", None)):
        args = ["--irrep", irrep] + (["--direction", direction] if direction is not None else [])
        brk(f"irrep-{irrep}-{direction}", cubic, "cubic.cif", args, names=("--irrep", "--direction", "cubic.cif", irrep))
    brk("irrep-molecule", sf6, "SF6.xyz", ("--irrep", "GM4-"), names=("--irrep", "SF6.xyz"))
    brk("origin-unknown", cubic, "cubic.cif", ("--irrep", "GM4-", "--origin", "Xx"), names=("--origin", "Xx"))
    brk("lmax-0", sf6, "SF6.xyz", ("--to", "C4v", "--lmax", "0"), names=("--lmax",))
    brk("symprec-nan", sf6, "SF6.xyz", ("--to", "C4v", "--symprec", "nan"), names=("--symprec",))
    brk("samples-without-model", sf6, "SF6.xyz", ("--to", "C4v", "--samples", "3"), names=("--samples", "--model"))
    return out


# --------------------------------------------------------------------------------------
# run directories for ``break --model``
# --------------------------------------------------------------------------------------
def run_cases(root: Path, good: Path) -> list[tuple[str, Path, str]]:
    """Copies of the tiny SymPE run ``good``, each damaged one way: (name, run dir, expect)."""
    import torch

    out: list[tuple[str, Path, str]] = []

    def variant(name, change, expect="fail"):
        d = root / f"run-{name}"
        shutil.copytree(good, d)
        change(d)
        out.append((f"run-{name}", d, expect))

    def write(rel, data):
        def f(d):
            p = d / rel
            p.write_bytes(data) if isinstance(data, bytes) else p.write_text(data)
        return f

    def drop(rel):
        return lambda d: (d / rel).unlink()

    cfg = json.loads((good / "config.json").read_text())
    meta = json.loads((good / "sympe.json").read_text())
    variant("ok", lambda d: None, "any")
    out.append(("run-missing", root / "no-such-run", "fail"))
    (root / "run-is-a-file").write_text("x")
    out.append(("run-is-a-file", root / "run-is-a-file", "fail"))
    variant("no-config", drop("config.json"))
    variant("config-empty", write("config.json", ""))
    variant("config-not-json", write("config.json", "{not json"))
    variant("config-list", write("config.json", "[1, 2]"))
    variant("config-null", write("config.json", "null"))
    variant("config-deep", write("config.json", "[" * 100000 + "]" * 100000))
    variant("config-not-sympe", write("config.json", json.dumps({**cfg, "sympe": False})))
    variant("config-sympe-string", write("config.json", json.dumps({**cfg, "sympe": "yes"})))
    variant("config-seed-string", write("config.json", json.dumps({**cfg, "seed": "zero"})))
    variant("config-baseline-list", write("config.json", json.dumps({**cfg, "baseline": [1]})))
    variant("config-utf16", write("config.json", json.dumps(cfg).encode("utf-16")))
    variant("config-bom", write("config.json", b"\xef\xbb\xbf" + json.dumps(cfg).encode()), "any")
    variant("no-sympe-json", drop("sympe.json"))
    variant("sympe-json-empty", write("sympe.json", ""))
    variant("sympe-json-garbage", write("sympe.json", "]]"))
    variant("sympe-json-list", write("sympe.json", "[]"))
    for key in list(meta)[:6]:
        # l_relaxed builds only the relaxed baseline: a run without --baseline does not need it
        variant(f"meta-missing-{key}", write("sympe.json", json.dumps({k: v for k, v in meta.items() if k != key})),
                "any" if key == "l_relaxed" else "fail")
        variant(f"meta-wrongtype-{key}", write("sympe.json", json.dumps({**meta, key: {"x": [1]}})))
    if "cutoff" in meta:
        for v in ("nan", -1, 0, 1e308):
            variant(f"meta-cutoff-{v}", write("sympe.json", json.dumps({**meta, "cutoff": v}).replace('"nan"', "NaN")))
    ckpt = good / "sympe.pt"
    blob = ckpt.read_bytes()
    variant("ckpt-missing", drop("sympe.pt"))
    variant("ckpt-empty", write("sympe.pt", b""))
    variant("ckpt-truncated", write("sympe.pt", blob[: len(blob) // 3]))
    variant("ckpt-text", write("sympe.pt", "not a checkpoint\n"))
    variant("ckpt-is-dir", lambda d: ((d / "sympe.pt").unlink(), (d / "sympe.pt").mkdir()))

    def repickled(d, fn):
        state = torch.load(ckpt, map_location="cpu", weights_only=True)
        torch.save(fn(state), d / "sympe.pt")
    variant("ckpt-no-model", lambda d: repickled(d, lambda s: {k: v for k, v in s.items() if k not in ("model", "best_model")}))
    variant("ckpt-list", lambda d: repickled(d, lambda s: [1, 2, 3]))
    variant("ckpt-wrong-shapes", lambda d: repickled(d, lambda s: {**s, "best_model": {k: v[..., :1] if v.ndim else v
                                                                                        for k, v in (s["best_model"] or s["model"]).items()},
                                                                   "model": {k: v[..., :1] if v.ndim else v
                                                                             for k, v in s["model"].items()}}))
    variant("ckpt-nan-weights", lambda d: repickled(d, lambda s: {**s, "best_model": {k: v * float("nan") if v.is_floating_point() else v
                                                                                        for k, v in (s["best_model"] or s["model"]).items()}}))
    variant("ckpt-pickled-code", write("sympe.pt", _evil_pickle()))
    variant("ckpt-other-keys", lambda d: repickled(d, lambda s: {**s, "best_model": {"x.weight": torch.zeros(2)}}))
    return out


class _Evil:
    def __reduce__(self):
        return (print, ("PWNED: code ran while loading a checkpoint",))


def _evil_pickle() -> bytes:
    import pickle

    return pickle.dumps({"model": _Evil()})


def resume_cases(root: Path, good: Path) -> list[tuple[str, Path, str]]:
    """Copies of a tiny finished gconv run with config.json damaged: (name, run dir, expect) for --resume."""
    out: list[tuple[str, Path, str]] = []
    cfg = json.loads((good / "config.json").read_text())

    def variant(name, text, expect="fail"):
        d = root / f"resume-{name}"
        shutil.copytree(good, d)
        if text is None:
            (d / "config.json").unlink()
        else:
            (d / "config.json").write_bytes(text if isinstance(text, bytes) else text.encode())
        out.append((f"resume-{name}", d, expect))

    variant("ok", json.dumps(cfg), "any")
    variant("bom", b"\xef\xbb\xbf" + json.dumps(cfg).encode(), "any")
    variant("empty", "")
    variant("not-json", "{")
    variant("list", "[1, 2]")
    variant("null", "null")
    variant("deep", "[" * 100000 + "]" * 100000)
    variant("utf16", json.dumps(cfg).encode("utf-16"))
    variant("no-data", json.dumps({k: v for k, v in cfg.items() if k != "data"}))
    for key, value in (("seed", "zero"), ("epochs", "x"), ("lr", None), ("restarts", 1.5), ("model", 3), ("sympe", "no"),
                       ("data", 7), ("cutoff", float("nan"))):
        variant(f"{key}-{value}", json.dumps({**cfg, key: value}))
    return out
