"""All-or-nothing output: results are written to a hidden staging folder and moved into place at the end.

An error or an interruption removes the staging folder (and the output folder itself if
this run created it), so a failed run leaves nothing half-written.  Results of an
earlier successful run are replaced entry by entry only once the new ones are complete.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from gpuscale.demo.errors import DemoError


class StagedOutput:
    """Context manager giving a staging folder; ``commit()`` publishes its entries.

    Parameters
    ----------
    folder : Path
        The output folder (created if missing).

    Examples
    --------
    >>> with StagedOutput(Path("out")) as out:       # doctest: +SKIP
    ...     (out.staging / "result.json").write_text("{}")
    ...     out.commit()
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder).absolute()
        self.created_folder = False
        self.staging: Path | None = None
        self.published: list[Path] = []

    def __enter__(self) -> "StagedOutput":
        if self.folder.exists() and not self.folder.is_dir():
            raise _unwritable(self.folder, "it exists and is not a folder")
        try:
            self.created_folder = not self.folder.exists()
            self.folder.mkdir(parents=True, exist_ok=True)
            self.staging = self.folder / f".demo-staging-{os.getpid()}"
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging.mkdir()
            _probe_write(self.staging)
        except OSError as error:
            self._discard()
            raise _unwritable(self.folder, error.strerror or str(error)) from None
        return self

    def path(self, name: str) -> Path:
        """Where to write entry ``name`` while staging."""
        return self.staging / name

    def commit(self) -> list[Path]:
        """Move every staged entry into the output folder, replacing older ones of the same name."""
        for entry in sorted(self.staging.iterdir()):
            target = self.folder / entry.name
            _replace(entry, target, self.staging / f".old-{entry.name}")
            self.published.append(target)
        return self.published

    def __exit__(self, *exc: object) -> None:
        failed = exc[0] is not None
        self._discard(remove_folder=failed)

    def _discard(self, remove_folder: bool = True) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
        if remove_folder and self.created_folder and self.folder.is_dir() and not any(self.folder.iterdir()):
            self.folder.rmdir()


def _probe_write(folder: Path) -> None:
    probe = folder / ".write-test"
    probe.write_bytes(b"ok")
    probe.unlink()


def _replace(new: Path, target: Path, trash: Path) -> None:
    if target.is_dir() and not target.is_symlink():
        os.replace(target, trash)
    os.replace(new, target)


def _unwritable(folder: Path, reason: str) -> DemoError:
    return DemoError(f"cannot write to the output folder {folder}: {reason}. "
                     "Choose a writable folder with --output.", exit_code=2)
