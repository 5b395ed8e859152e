"""Sphinx configuration of the gpuscale API reference (built from the docstrings).

Build (warnings are errors):  python -m sphinx -W --keep-going -b html docs/api build/docs/api
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # document the working tree, installed or not

import gpuscale  # noqa: E402

project = "gpuscale"
author = "gpuscale developers"
copyright = "gpuscale developers"  # noqa: A001
release = gpuscale.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
    "numpydoc",
]

# numpydoc renders the Parameters/Returns/Examples sections; autodoc keeps signatures
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
autodoc_default_options = {"members": True, "member-order": "bysource", "show-inheritance": False}
autodoc_typehints = "none"  # the numpydoc sections carry the types
autodoc_mock_imports = ["cupy", "cudf", "rmm"]  # GPU libraries: imported lazily, absent on CPU machines

intersphinx_mapping = {}  # no network during the build: no cross-project links
html_theme = "alabaster"
html_title = f"gpuscale {release} API reference"
html_static_path: list[str] = []
exclude_patterns = ["_build"]
