"""to_json infers the compression from the file names (compression="infer", as pandas' to_json and gpuscale's
to_csv): a "*.json.gz" pattern writes gzip files that read back."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host


@pytest.mark.parametrize("ext, magic", [("json.gz", b"\x1f\x8b"), ("json.bz2", b"BZh"), ("json", b"{")])
def test_to_json_infers_compression(tmp_path, ext, magic):
    pdf = pd.DataFrame({"x": [1, 2, 3], "y": ["a", "b", "c"]})
    paths = gd.from_pandas(pdf, npartitions=2).to_json(str(tmp_path / f"*.{ext}"))
    assert [p.rsplit("/", 1)[1] for p in paths] == [f"0.{ext}", f"1.{ext}"]
    for path in paths:
        assert open(path, "rb").read()[:len(magic)] == magic
    back = to_host(gd.read_json(str(tmp_path / f"*.{ext}")).compute()).reset_index(drop=True)
    pd.testing.assert_frame_equal(back, pdf)


def test_to_json_gzip_matches_pandas(tmp_path):
    pdf = pd.DataFrame({"x": [1, 2]})
    gd.from_pandas(pdf, npartitions=1).to_json(str(tmp_path / "*.json.gz"))
    pdf.to_json(str(tmp_path / "pandas.json.gz"), orient="records", lines=True)
    ours = gzip.open(tmp_path / "0.json.gz").read()
    assert ours == gzip.open(tmp_path / "pandas.json.gz").read()


def test_to_json_compression_none_writes_plain(tmp_path):
    gd.from_pandas(pd.DataFrame({"x": [1]}), npartitions=1).to_json(str(tmp_path / "*.json.gz"), compression=None)
    assert open(tmp_path / "0.json.gz", "rb").read()[:1] == b"{"
