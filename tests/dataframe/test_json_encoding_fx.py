"""read_json(encoding=, errors=) decodes the files with them, as pandas and dask do."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host

TEXT = '{"s": "é", "n": 1}\n{"s": "ü", "n": 2}\n{"s": "ñ", "n": 3}\n'


@pytest.mark.parametrize("blocksize", [None, 20])
def test_read_json_latin1_lines(tmp_path, blocksize):
    path = str(tmp_path / "l1.jsonl")
    open(path, "wb").write(TEXT.encode("latin-1"))
    expected = pd.read_json(path, lines=True, encoding="latin-1")
    got = gd.read_json(path, lines=True, encoding="latin-1", blocksize=blocksize)
    assert got.npartitions == (1 if blocksize is None else 3)
    result = to_host(got.compute()).reset_index(drop=True)
    assert result.s.tolist() == expected.s.tolist() == ["é", "ü", "ñ"]
    assert result.n.tolist() == expected.n.tolist()


def test_read_json_latin1_whole_file(tmp_path):
    path = str(tmp_path / "l1.json")
    open(path, "wb").write('[{"s": "é"}, {"s": "ß"}]'.encode("latin-1"))
    expected = pd.read_json(path, orient="records", encoding="latin-1")
    result = to_host(gd.read_json(path, lines=False, encoding="latin-1").compute())
    assert result.s.tolist() == expected.s.tolist() == ["é", "ß"]


def test_read_json_utf16(tmp_path):
    path = str(tmp_path / "u16.jsonl")
    open(path, "wb").write(TEXT.encode("utf-16"))
    expected = pd.read_json(path, lines=True, encoding="utf-16")
    result = to_host(gd.read_json(path, lines=True, encoding="utf-16").compute())
    assert result.s.tolist() == expected.s.tolist()
    with pytest.raises(ValueError, match="utf-16"):
        gd.read_json(path, lines=True, encoding="utf-16", blocksize=20)


def test_read_json_errors_replace(tmp_path):
    path = str(tmp_path / "bad.jsonl")
    open(path, "wb").write(b'{"s": "a\xff"}\n{"s": "b"}\n')
    expected = pd.read_json(path, lines=True, encoding_errors="replace")
    result = to_host(gd.read_json(path, lines=True, errors="replace").compute())
    assert result.s.tolist() == expected.s.tolist() == ["a\ufffd", "b"]
