"""HTML page, plots module, and the cross-format contract of ``symbreak report``.

The page must parse, reference nothing outside itself, and embed one drawing per
PlotBlock; every report kind renders in every format; loading rejects unknown kinds and
majors clearly and accepts a newer minor (unknown extra fields).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from symbreak_cli.errors import InputError, OutputError
from symbreak_cli.render import plots, plots_train, registry
from symbreak_cli.results.base import REPORT_KINDS
from symbreak_cli.render.html import plot_html, render_html
from symbreak_cli.render.terminal import load_report, render_to_string
from symbreak_cli.render.sections import PlotBlock, sections_for

FORMATS = ["table", "markdown", "html", "json"]
REAL_KINDS = sorted(REPORT_KINDS)


class PageParser(HTMLParser):
    """Collects what the offline checks need: tags, URL-bearing attributes, open tags."""

    VOID = {"meta", "br", "img", "input", "link", "hr", "col", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.urls: list[tuple[str, str, str]] = []
        self.stack: list[str] = []
        self.text: list[str] = []
        self.hl_rows = 0
        self.in_svg = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "action", "srcset", "poster", "data") and value is not None:
                self.urls.append((tag, name, value))
        if tag == "tr" and "hl" in (a.get("class") or "").split():
            self.hl_rows += 1
        if tag == "svg":
            self.in_svg += 1
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):  # <path .../> inside SVG: no stack entry
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href") and value is not None:
                self.urls.append((tag, name, value))

    def handle_endtag(self, tag):
        if tag == "svg":
            self.in_svg -= 1
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> PageParser:
    p = PageParser()
    p.feed(page)
    p.close()
    assert not p.stack, f"unclosed tags: {p.stack}"
    return p


def assert_offline(page: str) -> PageParser:
    """No URL leaves the page: only '#fragment' and data: references, no <link>, no <script>."""
    p = parse(page)
    assert "script" not in p.tags and "link" not in p.tags and "iframe" not in p.tags
    for tag, attr, url in p.urls:
        assert url.startswith("#") or url.startswith("data:"), f"<{tag} {attr}={url!r}> leaves the page"
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", page, re.I), "a URL is written in the page"
    assert not re.search(r"url\(\s*['\"]?(?!data:|#)", page), "a CSS url() that is not data:"
    assert "@import" not in page
    return p


def n_plots(kind, report) -> int:
    return sum(isinstance(b, PlotBlock) for s in sections_for(kind, report) for b in s.blocks)


def n_drawings(page: str) -> int:
    """Plot figures that hold a drawing: an inline <svg> or a base64 PNG <img>."""
    figures = re.findall(r'<figure class="plot"[^>]*>(.*?)</figure>', page, re.S)
    return sum(("<svg" in f and "</svg>" in f) or 'src="data:image/png;base64,' in f for f in figures)


# ---------------------------------------------------------------------------------------
# the demo kind: every renderer feature
# ---------------------------------------------------------------------------------------
def test_demo_page_is_offline_and_complete(demo):
    kind, report = demo
    page = render_html(kind, report)
    p = assert_offline(page)
    assert page.startswith("<!DOCTYPE html>")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert n_drawings(page) == n_plots(kind, report) == 2
    assert p.hl_rows == 2  # Eg and T1u
    text = "".join(p.text)
    # escaped, not interpreted
    assert "BaTiO3 <tetragonal> & friends" in text and "&lt;tetragonal&gt; &amp; friends" in page
    assert "T2g | x" in text
    # summary first, even though the builder put it second
    heads = re.findall(r"<h2>(.*?)</h2>", page)
    assert heads[0] == "Summary" and heads[1] == "Character table of Oh"
    assert 'class="summary"' in page
    # the ladder plot carries the groups as text (svg.fonttype none)
    assert "P4mm (99)" in page and "Pm-3m (221)" in page


def test_png_plots(demo):
    kind, report = demo
    page = render_html(kind, report, plots="png")
    assert_offline(page)
    assert n_drawings(page) == 2 and "<svg" not in page


def test_dense_plots_fall_back_to_png(monkeypatch):
    from symbreak_cli.render import html

    block = PlotBlock("Ladder", "ladder", {"tolerance": [1e-5, 0.1], "number": [1, 2]})
    assert "<svg" in plot_html(block)
    monkeypatch.setattr(html, "SVG_LIMIT", 100)
    out = plot_html(block)
    assert "<svg" not in out and 'src="data:image/png;base64,' in out
    assert "<svg" in plot_html(block, "svg")


def test_unknown_plot_kind_is_a_note_not_a_crash():
    # e.g. a report from a newer symbreak that draws a plot this version does not know
    html = plot_html(PlotBlock("Domains", "domains_map", {"n": 3}))
    assert "plot not drawn" in html and "domains_map" in html and "<svg" not in html


def test_html_is_deterministic(demo):
    kind, report = demo
    assert render_html(kind, report) == render_html(kind, report)


# ---------------------------------------------------------------------------------------
# plots module
# ---------------------------------------------------------------------------------------
def test_plot_registry_and_lookup():
    assert {"ladder", "bars", "lines"} <= set(registry.PLOTS)
    assert plots.get_plot("ladder") is plots.ladder
    with pytest.raises(InputError, match="unknown plot kind 'nosuch'"):
        plots.get_plot("nosuch")
    with pytest.raises(InputError, match="unknown plot kind"):
        plots.get_plot("zzmissing_loss")  # a prefix names no module: only listed kinds exist


def test_training_plots_are_listed_with_their_functions():
    for kind in ("loss_curves", "irrep_norms", "learned_signal"):
        assert registry.plot_kind(kind).draw is getattr(plots_train, kind)


def test_a_plot_is_drawn_exactly_when_it_is_registered(monkeypatch):
    import sys
    import types
    from typing import TypedDict

    # a plots_* module beside the others is not enough: nothing is found by module name
    mod = types.ModuleType("symbreak_cli.render.plots_fake")
    mod.fake_a = lambda d: "A"
    monkeypatch.setitem(sys.modules, mod.__name__, mod)
    with pytest.raises(InputError, match="unknown plot kind 'fake_a'"):
        plots.get_plot("fake_a")

    class FakeData(TypedDict):
        n: int

    monkeypatch.setitem(registry.PLOTS, "fake_a", registry.PlotKind(mod.fake_a, FakeData))
    assert plots.get_plot("fake_a")({}) == "A"
    assert plots.make_figure("fake_a", {"n": 1}) == "A"
    with pytest.raises(InputError, match="payload lacks n"):
        plots.make_figure("fake_a", {})


def test_a_payload_without_its_keys_is_a_note_not_a_crash():
    html = plot_html(PlotBlock("Loss", "loss_curves", {"losses": []}))
    assert "plot not drawn" in html and "lacks curves" in html and "<svg" not in html


@pytest.mark.parametrize("data", [
    {"tolerance": [1e-5, 1e-3, 0.1], "number": [99, 99, 221], "symbol": ["P4mm", "P4mm", "Pm-3m"]},
    {"steps": [{"tolerance": 1e-5, "number": 1, "symbol": "P1"}, {"tolerance": 1e-2, "number": 160, "symbol": "R3m"}]},
    {"tolerance_A": [1e-5, 0.5], "group": ["Td", "Oh"], "number": [None, None], "order": [24, 48], "structure": "CH4"},
    {"tolerance_A": [1e-5, 0.5], "group": ["C∞v", "D∞h"], "number": [None, None], "order": [None, None]},
    {"series": [{"tolerance": [1e-4, 1e-2], "number": [1, 2], "label": "a"}, {"tolerance": [1e-4], "number": [3], "label": "b"}]},
    {"tolerance": [], "number": []},
])
def test_ladder_layouts(data):
    svg = plots.figure_to_svg(plots.make_figure("ladder", data))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "http" not in svg and "<metadata" not in svg
    for sym in data.get("symbol", data.get("group", [])):
        assert sym in svg


def test_ladder_uses_order_for_molecules():
    svg = plots.figure_to_svg(plots.make_figure("ladder", {"tolerance_A": [1e-5, 0.5], "group": ["Td", "Oh"], "order": [24, 48]}))
    assert "Td (24)" in svg and "Oh (48)" in svg and "by order" in svg


def test_write_plot(tmp_path):
    data = {"labels": ["0e", "1o", "2e"], "values": [1.0, 0.5, 0.01], "log": True}
    png = plots.write_plot("bars", data, tmp_path / "a.png")
    svg = plots.write_plot("bars", data, tmp_path / "a.svg")
    assert png.read_bytes().startswith(b"\x89PNG")
    assert svg.read_text().startswith("<?xml") and "<svg" in svg.read_text()  # standalone file keeps its prolog
    with pytest.raises(OutputError, match="exists"):
        plots.write_plot("bars", data, png, force=False)
    with pytest.raises(OutputError, match="use .png, .svg or .pdf"):
        plots.write_plot("bars", data, tmp_path / "a.jpg")


def test_write_section_plots(demo, tmp_path):
    kind, report = demo
    paths = plots.write_section_plots(sections_for(kind, report), tmp_path, "svg")
    assert [p.name for p in paths] == ["01-tolerance-ladder.svg", "02-mode-amplitudes.svg"]


def test_plots_import_no_matplotlib():
    import subprocess
    import sys

    code = ("import sys; import symbreak_cli.render.plots, symbreak_cli.render.html, symbreak_cli.render.markdown; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# ---------------------------------------------------------------------------------------
# every kind, every format; loading
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_demo_every_format(demo, fmt):
    kind, report = demo
    out = render_to_string(kind, report, fmt)
    assert "Eg" in out or fmt == "json"
    if fmt == "json":
        assert json.loads(out)["schema"] == "symbreak.demo/1"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", REAL_KINDS)
def test_real_kinds_every_format(report_of, kind, fmt, tmp_path):
    report = report_of(kind)
    out = render_to_string(kind, report, fmt)
    assert out.strip()
    if fmt == "html":
        assert_offline(out)
        assert n_drawings(out) == n_plots(kind, report)
    if fmt == "json":  # the JSON form loads back through the CLI path unchanged
        path = tmp_path / "r.json"
        path.write_text(out)
        assert load_report(str(path))[1] == report


def test_every_kind_with_sections_has_a_test_builder(builders):
    """A new report kind must add a builder to conftest.BUILDERS, or it goes untested."""
    from symbreak_cli.results.base import REPORT_KINDS

    for kind in REPORT_KINDS:
        if kind in registry.SECTIONS:
            assert kind in builders, f"report kind {kind!r} has sections but no test builder"


def _write(tmp_path, data) -> str:
    p = tmp_path / "report.json"
    p.write_text(json.dumps(data))
    return str(p)


def test_load_rejects_unknown_kind_and_newer_major(demo, tmp_path):
    kind, report = demo
    data = json.loads(report.to_json())
    with pytest.raises(InputError, match="unknown report kind 'nosuch'"):
        load_report(_write(tmp_path, {**data, "schema": "symbreak.nosuch/1"}))
    with pytest.raises(InputError, match="symbreak.demo/2.*reads symbreak.demo/1"):
        load_report(_write(tmp_path, {**data, "schema": "symbreak.demo/2"}))
    with pytest.raises(InputError, match="not a symbreak report"):
        load_report(_write(tmp_path, {**data, "schema": "other/1"}))


def test_newer_minor_with_unknown_fields_still_renders(demo, tmp_path):
    kind, report = demo
    data = json.loads(report.to_json())
    data["added_in_1_3"] = {"anything": [1, 2, 3]}
    data["provenance"]["gpu_clock_mhz"] = 1980
    loaded_kind, loaded = load_report(_write(tmp_path, data))
    assert loaded_kind == kind
    for fmt in FORMATS:
        assert render_to_string(kind, loaded, fmt).strip()


@pytest.mark.parametrize("kind", REAL_KINDS)
def test_real_kinds_newer_minor_renders(report_of, kind, tmp_path):
    """Fields added by a newer minor version, at the top and nested, are ignored."""
    data = json.loads(report_of(kind).to_json())
    data["from_the_future"] = True
    for value in data.values():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value[0]["from_the_future"] = {"x": 1}
    loaded_kind, loaded = load_report(_write(tmp_path, data))
    assert loaded_kind == kind
    for fmt in FORMATS:
        assert render_to_string(kind, loaded, fmt).strip()
