"""The one registry of what render draws.

* :data:`SECTIONS` — report kind → ``sections_for_<kind>(report) -> list[Section]``; the
  rich, Markdown and HTML renderers only know sections.
* :data:`PLOTS` — plot kind → :class:`PlotKind` (the plot function and the type of its
  payload, :mod:`symbreak_cli.render.payloads`).

Adding a report kind is one entry in :data:`SECTIONS` (and one in
:data:`symbreak_cli.results.registry.REPORT_KINDS`); adding a plot is one entry in
:data:`PLOTS`. Nothing is found by module name: a kind is drawn exactly when it is listed
here. Importing this module imports the section builders (pydantic report models) but not
matplotlib, which the plot functions import when they draw.

>>> sorted(SECTIONS)
['break', 'detect', 'samples', 'train']
>>> plot_kind("loss_curves").payload.__name__
'LossCurvesData'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from symbreak_cli.errors import InputError
from symbreak_cli.render import break_, gconv, payloads, plots, plots_train
from symbreak_cli.render.break_ import sections_for_break
from symbreak_cli.render.detect import sections_for_detect
from symbreak_cli.render.samples import sections_for_samples
from symbreak_cli.render.sections import Section
from symbreak_cli.render.train import sections_for_train

SectionsFn = Callable[[Any], "list[Section]"]

#: report kind -> its sections builder
SECTIONS: dict[str, SectionsFn] = {
    "detect": sections_for_detect,
    "train": sections_for_train,
    "break": sections_for_break,
    "samples": sections_for_samples,
}


@dataclass(frozen=True)
class PlotKind:
    """A plot kind: ``draw(data) -> matplotlib Figure`` and the TypedDict of ``data``."""

    draw: Callable[[Any], Any]
    payload: type

    def check(self, kind: str, data: Mapping[str, Any]) -> None:
        """Raise :class:`~symbreak_cli.errors.InputError` if ``data`` lacks a required key."""
        if not isinstance(data, Mapping):
            raise InputError(f"plot {kind!r} needs a mapping of type {self.payload.__name__}, got {type(data).__name__}")
        missing = payloads.missing_keys(self.payload, data)
        if missing:
            raise InputError(f"plot {kind!r} payload lacks {', '.join(missing)} ({self.payload.__name__})")


#: plot kind -> function and payload type
PLOTS: dict[str, PlotKind] = {
    "ladder": PlotKind(plots.ladder, payloads.LadderData),
    "bars": PlotKind(plots.bars, payloads.BarsData),
    "lines": PlotKind(plots.lines, payloads.LinesData),
    "loss_curves": PlotKind(plots_train.loss_curves, payloads.LossCurvesData),
    "irrep_norms": PlotKind(plots_train.irrep_norms, payloads.IrrepNormsData),
    "learned_signal": PlotKind(plots_train.learned_signal, payloads.LearnedSignalData),
    "domain_patterns": PlotKind(break_.domain_patterns, break_.DomainPatternsData),
    "gconv_weights": PlotKind(gconv.gconv_weights, gconv.GconvWeightsData),
}


def sections_for(kind: str, report: Any) -> list[Section]:
    """The sections of ``report``, a report of kind ``kind``.

    Raises
    ------
    InputError
        No sections builder is registered for ``kind``.
    """
    if kind not in SECTIONS:
        raise InputError(f"no renderer for report kind {kind!r} (this symbreak renders: {', '.join(sorted(SECTIONS))})")
    return SECTIONS[kind](report)


def plot_kind(kind: str) -> PlotKind:
    """The registered plot ``kind``.

    Raises
    ------
    InputError
        ``kind`` is not registered (e.g. a report from a newer symbreak).
    """
    if kind not in PLOTS:
        raise InputError(f"unknown plot kind {kind!r} (this symbreak draws: {', '.join(sorted(PLOTS))})")
    return PLOTS[kind]
