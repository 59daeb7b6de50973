"""One registry of report kinds (results) and one of what draws them (render), in step."""

from __future__ import annotations

import json

import pytest

from symbreak_cli.render import payloads, registry
from symbreak_cli.render.sections import PlotBlock
from symbreak_cli.results.registry import REPORT_KINDS, kind_of_schema_id, model_for_kind

KINDS = sorted(REPORT_KINDS)


def test_every_report_kind_has_sections_and_every_sections_entry_a_kind():
    assert set(REPORT_KINDS) == set(registry.SECTIONS)


@pytest.mark.parametrize("kind", KINDS)
def test_registry_major_is_the_models_schema_id(kind):
    """The schema id a model writes by default is the one the registry reads."""
    entry = REPORT_KINDS[kind]
    field = model_for_kind(kind).model_fields["schema_id"]
    assert field.default == entry.schema_id == f"symbreak.{kind}/{entry.major}"
    assert kind_of_schema_id(entry.schema_id, "x.json") is entry


@pytest.mark.parametrize("kind", KINDS)
def test_schema_models_declare_their_id(kind):
    from symbreak_cli.results.registry import json_schema

    schema = json_schema(kind)
    assert schema["$id"].endswith(f"/schema/{kind}/{REPORT_KINDS[kind].major}")
    assert json.dumps(schema)  # serialisable as printed by `symbreak schema`


def test_every_plot_kind_has_a_payload_type():
    for kind, entry in registry.PLOTS.items():
        assert callable(entry.draw), kind
        assert entry.payload.__required_keys__ | entry.payload.__optional_keys__, f"{kind}: payload type declares no keys"


@pytest.mark.parametrize("kind", KINDS)
def test_real_plot_blocks_match_their_payload_types(report_of, kind):
    """Every plot a real report draws is registered, and its payload has exactly the keys
    of its type: a section builder and its plot cannot drift apart unnoticed."""
    blocks = [b for s in registry.sections_for(kind, report_of(kind)) for b in s.blocks if isinstance(b, PlotBlock)]
    assert blocks, f"{kind} reports draw no plot"
    for block in blocks:
        entry = registry.plot_kind(block.kind)
        assert payloads.missing_keys(entry.payload, block.data) == [], block.kind
        assert payloads.unknown_keys(entry.payload, block.data) == [], block.kind


def test_unknown_kinds_are_clear_errors():
    from symbreak_cli.errors import InputError, OptionError

    with pytest.raises(InputError, match="no renderer for report kind 'nosuch'"):
        registry.sections_for("nosuch", None)
    with pytest.raises(OptionError, match="unknown report kind 'nosuch'; known: break, detect, samples, train"):
        model_for_kind("nosuch")


def test_registries_find_nothing_by_module_name():
    """Explicit tables only: no pkgutil scan, no import by a name built from a kind."""
    import inspect

    from symbreak_cli.render import plots
    from symbreak_cli.results import registry as results_registry

    for mod in (registry, plots, results_registry):
        src = inspect.getsource(mod)
        assert "pkgutil" not in src and "plots_{" not in src, mod.__name__
