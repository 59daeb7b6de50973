"""Options of each command, defined once: the CLI reads its defaults from here.

Light to import (no numpy, spglib or torch at import time): ``symbreak --help`` builds
its option defaults from these dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from symbreak_cli.errors import OptionError
from symbreak_cli.symmetry.tolerances import (
    DEFAULT_ANGLE_TOLERANCE_DEG,
    DEFAULT_LMAX,
    DEFAULT_MAX_DISPLACEMENT_A,
    DEFAULT_MAX_STRAIN,
    DEFAULT_PSEUDO_MAX_DISPLACEMENT_A,
    DEFAULT_SYMPREC_A,
)

if TYPE_CHECKING:
    import numpy as np

    from symbreak_cli.io.cell import Cell


@dataclass(frozen=True)
class ParentRequest:
    """What ``detect --parent/--parent-group/--character-table`` asks of every structure.

    Built once (the parent file read and checked) by :func:`parent_request` and carried in
    ``DetectOptions.parent``, so each structure is analysed where it is detected — in the
    worker processes under ``--jobs``, without reading its file twice, stdin included.
    """

    parent: Cell | None = None
    parent_path: str | None = None
    parent_group: str | None = None
    lmax: int = DEFAULT_LMAX
    max_strain: float = DEFAULT_MAX_STRAIN
    character_table: bool = False
    #: element of the parent atom put at the origin of the mode decomposition
    #: (``--parent-origin``; None: the parent's standardised origin)
    parent_origin: str | None = None
    #: in which lattice the mode amplitudes measure displacements (``--mode-metric``):
    #: "child" the parent supercell at the child's volume, "parent" the undistorted parent (ISODISTORT)
    mode_metric: str = "child"

    def report_options(self) -> dict:
        return {"parent": self.parent_path, "parent_group": self.parent_group, "lmax": self.lmax,
                "max_strain": self.max_strain, "character_table": self.character_table,
                "parent_origin": self.parent_origin, "mode_metric": self.mode_metric}


@dataclass(frozen=True)
class DetectOptions:
    """Options of ``symbreak detect``; tolerances in Å (distances) and degrees (angles)."""

    symprec: float = DEFAULT_SYMPREC_A
    angle_tolerance: float = DEFAULT_ANGLE_TOLERANCE_DEG
    ladder: bool = True
    ladder_min: float = 1e-5
    ladder_max: float = 0.5
    ladder_steps: int = 10
    max_displacement: float = DEFAULT_MAX_DISPLACEMENT_A
    frame: int = 0
    molecule: bool = False
    fmt: str | None = None
    parent: ParentRequest | None = None  # --parent / --parent-group / --character-table
    operations: bool = True  # --no-operations: crystal reports leave out the per-operation list
    write: str | None = None  # --write DIR: standardised / symmetrised structures
    force: bool = False  # --force: --write may replace existing files
    pseudo: bool = False  # --pseudo: the pseudo-symmetry search (candidate supergroups)
    pseudo_max_displacement: float = DEFAULT_PSEUDO_MAX_DISPLACEMENT_A  # --max-displacement when --pseudo is given
    pseudo_max_strain: float = DEFAULT_MAX_STRAIN  # --max-strain: lattice automorphisms tried by --pseudo
    write_parent: str | None = None  # --write-parent DIR: each pseudo candidate's idealised structure (CIF)

    def validate(self) -> None:
        if not (0 < self.symprec < 5):
            raise OptionError(f"--symprec must be in (0, 5) Å, got {self.symprec}")
        if self.ladder:
            if not (0 < self.ladder_min < self.ladder_max < 5):
                raise OptionError(f"ladder tolerances must satisfy 0 < --ladder-min < --ladder-max < 5 Å, got {self.ladder_min}, {self.ladder_max}")
            if not (6 <= self.ladder_steps <= 100):
                raise OptionError(f"--ladder-steps must be between 6 and 100, got {self.ladder_steps}")
        if not (0 <= self.max_displacement < 5):
            raise OptionError(f"--max-displacement must be in [0, 5) Å, got {self.max_displacement}")
        if self.angle_tolerance != -1.0 and not (0 < self.angle_tolerance < 45):
            raise OptionError(f"--angle-tol must be in (0, 45) degrees or -1, got {self.angle_tolerance}")
        if self.pseudo or self.write_parent is not None:
            self._validate_pseudo()
        if self.write is not None:
            import os

            if os.path.exists(self.write) and not os.path.isdir(self.write):
                raise OptionError(f"--write {self.write}: exists and is not a directory")

    def _validate_pseudo(self) -> None:
        import os

        if self.write_parent is not None and not self.pseudo:
            raise OptionError("--write-parent needs --pseudo (it writes the pseudo-symmetry candidates)")
        if not (0 < self.pseudo_max_displacement < 5):
            raise OptionError(f"--max-displacement must be in (0, 5) Å for --pseudo, got {self.pseudo_max_displacement}")
        if not (0 < self.pseudo_max_strain < 0.5):
            raise OptionError(f"--max-strain must be in (0, 0.5), got {self.pseudo_max_strain}")
        if self.write_parent is not None and os.path.exists(self.write_parent) and not os.path.isdir(self.write_parent):
            raise OptionError(f"--write-parent {self.write_parent}: exists and is not a directory")

    @property
    def tolerances(self) -> np.ndarray:
        import numpy as np

        return np.geomspace(self.ladder_min, self.ladder_max, self.ladder_steps)


