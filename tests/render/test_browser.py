"""The HTML report in a real browser: headless Chromium, offline, from a file:// path.

Chromium runs with every network path closed (a dead proxy for everything but
loopback, host resolution mapped to NOTFOUND, no background services), loads the page,
and writes a screenshot that must have the window's size and show the page: enough
non-white pixels, the highlight colour of the breaking-irrep rows, and the plot lines.
A ``--dump-dom`` pass checks the browser's parsed DOM holds every plot.

Skipped when ``chromium`` is not installed, except under ``CI=true``, where a missing
browser fails the run (``.ci/run`` installs it) so CI can never skip silently.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from symbreak_cli.results.base import REPORT_KINDS
from symbreak_cli.render.html import render_html
from symbreak_cli.render.sections import PlotBlock, sections_for

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1200, 1500
HIGHLIGHT_RGB = (0xFF, 0xF1, 0xC2)  # --hl in html.CSS
OFFLINE_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
    "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
    "--metrics-recording-only", "--hide-scrollbars", "--force-device-scale-factor=1",
    "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


@pytest.fixture(scope="module")
def chromium() -> str:
    exe = shutil.which("chromium")
    if exe is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but `chromium` is not on PATH: .ci/run must install it "
                        "(apt-get install -y --no-install-recommends chromium)")
        pytest.skip("headless Chromium not installed (Debian: apt-get install chromium)")
    return exe


def run_chromium(exe: str, tmp: Path, *args: str, timeout: float = 90) -> subprocess.CompletedProcess:
    profile = tmp / "chromium-profile"
    profile.mkdir(exist_ok=True)
    cmd = [exe, *OFFLINE_FLAGS, f"--user-data-dir={profile}", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env={**os.environ, "HOME": str(tmp)})
    assert proc.returncode == 0, f"chromium failed ({proc.returncode}): {proc.stderr[-2000:]}"
    return proc


def screenshot(exe: str, page: Path, tmp: Path, width: int = WIDTH, height: int = HEIGHT) -> np.ndarray:
    """Load ``page`` from its file:// URL and return the screenshot as an (H, W, 3) uint8 array."""
    from PIL import Image

    png = tmp / f"{page.stem}.png"
    run_chromium(exe, tmp, f"--window-size={width},{height}", f"--screenshot={png}", page.as_uri())
    assert png.is_file() and png.stat().st_size > 0, "no screenshot written"
    with Image.open(png) as im:
        return np.asarray(im.convert("RGB"))


def assert_not_blank(img: np.ndarray) -> None:
    ink = np.any(img < 235, axis=-1)  # anything visibly darker than white
    assert img.std() > 10, f"screenshot is flat (std {img.std():.1f})"
    assert ink.mean() > 0.01, f"only {ink.mean():.2%} of the screenshot is drawn"
    assert ink[: img.shape[0] // 5].any(), "nothing drawn in the top fifth: the page did not start"


def has_colour(img: np.ndarray, rgb: tuple[int, int, int], tol: int = 6, min_pixels: int = 200) -> bool:
    close = np.all(np.abs(img.astype(int) - np.array(rgb)) <= tol, axis=-1)
    return int(close.sum()) >= min_pixels


def write_page(kind: str, report, tmp: Path) -> Path:
    page = tmp / f"{kind} report.html"  # a space in the name: file:// URLs must be quoted
    page.write_text(render_html(kind, report), encoding="utf-8")
    return page


def test_demo_page_screenshot(chromium, demo, tmp_path):
    kind, report = demo
    img = screenshot(chromium, write_page(kind, report, tmp_path), tmp_path)
    assert img.shape == (HEIGHT, WIDTH, 3)
    assert_not_blank(img)
    assert has_colour(img, HIGHLIGHT_RGB), "the highlighted irrep rows are not visible"
    assert has_colour(img, (0x1F, 0x5F, 0x99), tol=12, min_pixels=50), "no accent/plot-line colour drawn"


def test_demo_page_dom(chromium, demo, tmp_path):
    """The browser's own DOM after loading: every plot parsed as SVG, rows highlighted."""
    kind, report = demo
    dom = run_chromium(chromium, tmp_path, "--dump-dom", write_page(kind, report, tmp_path).as_uri()).stdout
    n_plots = sum(isinstance(b, PlotBlock) for s in sections_for(kind, report) for b in s.blocks)
    assert dom.count("<svg") == n_plots
    assert dom.count('<tr class="hl">') == 2
    assert "Character table of Oh" in dom


@pytest.mark.parametrize("kind", sorted(REPORT_KINDS))
def test_real_report_screenshot(chromium, report_of, kind, tmp_path):
    report = report_of(kind)
    img = screenshot(chromium, write_page(kind, report, tmp_path), tmp_path, 1280, 1000)
    assert img.shape == (1000, 1280, 3)
    assert_not_blank(img)


def test_blank_page_is_caught(chromium, tmp_path):
    """Negative control: the checks above do fail on a page that draws nothing."""
    page = tmp_path / "blank.html"
    page.write_text("<!DOCTYPE html><html><head><title>blank</title></head><body></body></html>")
    img = screenshot(chromium, page, tmp_path, 400, 300)
    assert img.shape == (300, 400, 3)
    with pytest.raises(AssertionError):
        assert_not_blank(img)
    assert not has_colour(img, HIGHLIGHT_RGB)
