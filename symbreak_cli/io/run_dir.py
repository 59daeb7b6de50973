"""A training run directory's JSON files, read as data: one-line errors for every way they break.

``train-relaxed --out RUN`` writes ``RUN/config.json`` (the options) and, for ``--sympe``,
``RUN/sympe.json`` (how to rebuild the networks); ``break INPUT --model RUN`` reads them
back. :func:`read_json_object` reads one such file (missing, a directory, not UTF-8, not
JSON, nested too deeply, not an object: each an :class:`~symbreak_cli.errors.InputError`
naming the file); :func:`check_fields` checks a document's values against the types a
template gives; :func:`check_sympe_run` does both for a SymPE run, before any network is built.

>>> check_fields({"seed": "zero"}, {"seed": 0}, "run/config.json")
Traceback (most recent call last):
...
symbreak_cli.errors.InputError: run/config.json: "seed" is 'zero'; expected a whole number
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from symbreak_cli.errors import InputError

#: what ``sympe.json`` must hold to rebuild a SymPE network (train/sympe.py ``model_meta``):
#: key -> (type, whether it must be > 0)
SYMPE_META = {"irreps_base": (str, False), "v_irreps": (str, False), "layers": (int, True), "mul": (int, True),
              "cutoff": (float, True), "avg_neighbors": (float, True), "use_edges": (bool, False)}
#: keys that are optional but typed when present
SYMPE_META_OPTIONAL = {"l_relaxed": (int, False), "n_points": (int, True)}
#: an e3nn irreps string such as ``1x0e`` or ``2x1o+1x2e``
_IRREPS = re.compile(r"\d+x\d+[eo](\+\d+x\d+[eo])*")
#: the largest number a float32 network can hold
_FLOAT32_MAX = 3.4e38


def read_json_object(path: str | Path, what: str) -> dict:
    """The JSON object in ``path``; ``what`` names the file's role in messages."""
    p = Path(path)
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"no {p.name}: not {what}", path=str(p.parent)) from None
    except IsADirectoryError:
        raise InputError(f"is a directory, expected {what}'s {p.name}", path=str(p)) from None
    except NotADirectoryError:
        raise InputError(f"is a file, not {what}", path=str(p.parent)) from None
    except UnicodeDecodeError:
        raise InputError("is not UTF-8 text (a damaged or foreign file)", path=str(p)) from None
    except OSError as err:
        raise InputError(f"cannot be read ({err.strerror or err})", path=str(p)) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"is not JSON ({err.msg}, line {err.lineno})", path=str(p)) from None
    except RecursionError:
        raise InputError("is nested too deeply to be a run file", path=str(p)) from None
    if not isinstance(doc, dict):
        raise InputError(f"holds a JSON {type(doc).__name__.replace('NoneType', 'null')}, expected an object "
                         "(a damaged or foreign file)", path=str(p))
    return doc


def _type_problem(value, kind: type, positive: bool) -> str | None:
    if kind is bool:
        return None if isinstance(value, bool) else "true or false"
    if kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok and (not positive or value > 0) else ("a positive whole number" if positive else "a whole number")
    if kind is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
            and abs(value) < _FLOAT32_MAX
        return None if ok and (not positive or value > 0) else ("a positive finite number" if positive else "a finite number")
    if kind is str:
        return None if isinstance(value, str) else "text"
    return None


def check_fields(doc: dict, template: dict, path: str, positive: frozenset[str] = frozenset()) -> None:
    """Every key of ``template`` present in ``doc`` has a value of the template value's type."""
    for key, example in template.items():
        if key not in doc:
            continue
        kind = type(example) if example is not None else None
        if kind is None or kind not in (bool, int, float, str):
            continue
        problem = _type_problem(doc[key], kind, key in positive)
        if problem:
            raise InputError(f"{json.dumps(key)} is {_show(doc[key])}; expected {problem}", path=path)


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def check_run_config(run_dir: str | Path, config_template: dict) -> dict:
    """``RUN/config.json`` as a dict whose known options have their defaults' types (for ``--resume``)."""
    path = Path(run_dir) / "config.json"
    cfg = read_json_object(path, "a train-relaxed run directory")
    if not isinstance(cfg.get("data"), str):
        raise InputError("names no data file (\"data\"): not written by train-relaxed", path=str(path))
    check_fields(cfg, config_template, str(path))
    return cfg


def check_sympe_run(run_dir: str | Path, config_template: dict) -> None:
    """Refuse a ``--sympe`` run directory whose JSON files cannot rebuild its networks.

    ``config_template``: the options' defaults (their types are what config.json must hold).
    """
    run = Path(run_dir)
    if not run.exists():
        raise InputError("no such run directory", path=str(run))
    if not run.is_dir():
        raise InputError("is a file, not a train-relaxed run directory", path=str(run))
    cfg = check_run_config(run, config_template)
    if cfg.get("sympe") is not True:
        raise InputError("not a train-relaxed --sympe run (sampling needs a SymPE model)", path=str(run))
    meta_path = run / "sympe.json"
    meta = read_json_object(meta_path, "a train-relaxed --sympe run")
    for key in SYMPE_META:
        if key not in meta:
            raise InputError(f"has no {json.dumps(key)}: not written by this version of train-relaxed --sympe",
                             path=str(meta_path))
    for key, (kind, positive) in {**SYMPE_META, **SYMPE_META_OPTIONAL}.items():
        if key in meta:
            problem = _type_problem(meta[key], kind, positive)
            if problem is None and key in ("irreps_base", "v_irreps") and not _IRREPS.fullmatch(meta[key]):
                problem = "irreps such as 1x0e or 2x1o+1x2e"
            if problem:
                raise InputError(f"{json.dumps(key)} is {_show(meta[key])}; expected {problem}", path=str(meta_path))
