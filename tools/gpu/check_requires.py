"""Run HERE after prepare.sh: list what the carried wheels require that neither the device image nor the carried
wheels provide, so a missing dependency is found before a GPU minute is spent (a session lost one to cuDF's
``cachetools``). Requirements are evaluated for the device: CPython 3.12 on Linux x86-64.

Usage: python tools/gpu/check_requires.py .whl   (exit 1 when something is missing)
"""

from __future__ import annotations

import re
import sys
import tarfile
import zipfile
from pathlib import Path

from packaging.requirements import Requirement

HERE = Path(__file__).parent
DEVICE = {"python_version": "3.12", "python_full_version": "3.12.3", "sys_platform": "linux",
          "platform_system": "Linux", "platform_machine": "x86_64", "implementation_name": "cpython",
          "platform_python_implementation": "CPython", "os_name": "posix", "extra": ""}
# required by a carried wheel, but not needed for what runs there (each with why)
NOT_NEEDED = {
    "numba-cuda-mlir": "only cuDF's MLIR UDF backend imports it",
}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _listed(path: Path) -> set[str]:
    lines = (line.split("#")[0].strip() for line in path.read_text().splitlines())
    return {_norm(re.split(r"[=<>!~ ]", line)[0]) for line in lines if line}


def _metadata(wheels: Path) -> dict[str, str]:
    """name -> METADATA text of each wheel under ``wheels`` (loose, or inside the cut cuDF bundle)."""
    found = {}
    for wheel in wheels.rglob("*.whl"):
        found[wheel.name] = _read_metadata(zipfile.ZipFile(wheel))
    pieces = sorted(wheels.glob("p*/cudf-*"))
    if pieces:  # the cuDF bundle is a tar cut into pieces: read it joined
        import io
        joined = io.BytesIO(b"".join(p.read_bytes() for p in pieces))
        with tarfile.open(fileobj=joined) as tar:
            for member in tar.getmembers():
                if member.name.endswith(".whl"):
                    found[member.name] = _read_metadata(zipfile.ZipFile(tar.extractfile(member)))
    return found


def _read_metadata(archive: zipfile.ZipFile) -> str:
    name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
    return archive.read(name).decode()


def missing(wheels: Path) -> dict[str, list[str]]:
    """Requirement name -> wheels requiring it, for requirements nothing provides."""
    provided = _listed(HERE / "image.txt") | _listed(HERE / "base.txt") | _listed(HERE / "cudf.txt")
    gaps: dict[str, list[str]] = {}
    for wheel, text in _metadata(wheels).items():
        for line in text.splitlines():
            if not line.startswith("Requires-Dist:"):
                continue
            req = Requirement(line.split(":", 1)[1].strip())
            if req.marker is not None and not req.marker.evaluate(DEVICE):
                continue
            name = _norm(req.name)
            if name not in provided and name not in NOT_NEEDED:
                gaps.setdefault(name, []).append(wheel)
    return gaps


def main() -> int:
    gaps = missing(Path(sys.argv[1] if len(sys.argv) > 1 else ".whl"))
    for name, wheels in sorted(gaps.items()):
        print(f"MISSING {name}: required by {', '.join(sorted(wheels))}")
    print("every requirement is provided" if not gaps else "add them to tools/gpu/base.txt or cudf.txt")
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main())
