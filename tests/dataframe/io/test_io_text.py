"""read_text (dask_cudf's, cudf.read_text's records) against Python's ``str.split`` of the same files."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host


def _bounds(text: str, delimiter: str) -> list[tuple[int, int, bool]]:
    """``(start, end, delimited)`` of each record: one ends wherever the delimiter ends, overlapping ends too, as
    libcudf's C++ tests of ``multibyte_split`` show (``"::a:::b"`` split at ``"::"``: ``"::"``, ``"a::"``, ``":"``,
    ``"b"``); no empty record after a final delimiter."""
    ends = [m.start() + len(delimiter) for m in re.finditer(f"(?={re.escape(delimiter)})", text)]
    return [(start, end, k < len(ends)) for k, (start, end) in enumerate(zip([0, *ends], [*ends, len(text)]))
            if start < len(text)]


def _records(text: str, delimiter: str, strip: bool = False) -> list[str]:
    return [text[start:max(start, end - len(delimiter)) if strip and delimited else end]
            for start, end, delimited in _bounds(text, delimiter)]


def _starts(text: str, delimiter: str) -> list[int]:
    return [start for start, _, _ in _bounds(text, delimiter)]


def test_libcudf_s_own_examples(tmp_path, backend):
    """The cases of libcudf's C++ tests (cpp/tests/io/text/multibyte_split_test.cpp)."""
    cases = [("abc:def", ":", False, ["abc:", "def"]), ("abcdefg:", ":", False, ["abcdefg:"]),
             ("::a:::b::c::::d", "::", True, ["", "a", "", "b", "c", "", "", "d"]),
             ("line\r\nanother line\r\nthird line\r\n", "\r\n", True, ["line", "another line", "third line"])]
    for i, (text, delimiter, strip, expected) in enumerate(cases):
        path = tmp_path / f"case{i}.txt"
        path.write_bytes(text.encode())
        assert _read(str(path), backend, delimiter=delimiter, strip_delimiters=strip) == expected
        assert _records(text, delimiter, strip) == expected  # (the reference the other tests use)


def _read(path, backend, **options) -> list[str]:
    return to_host(gd.read_text(path, backend=backend, **options).compute()).tolist()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet="ab:.\n", max_size=60), delimiter=st.sampled_from([":", "::", "a.", "\n", "aba"]),
       blocksize=st.one_of(st.none(), st.integers(1, 25)), strip=st.booleans())
def test_records_in_blocks_are_the_file_s_records_once(tmp_path_factory, backend, text, delimiter, blocksize, strip):
    path = tmp_path_factory.mktemp("text") / "f.txt"
    path.write_bytes(text.encode())
    got = _read(str(path), backend, delimiter=delimiter, blocksize=blocksize, strip_delimiters=strip)
    assert got == _records(text, delimiter, strip)


@pytest.mark.parametrize(("offset", "size"), [(0, 5), (3, 10), (9, 1), (10, 100), (40, 8)])
def test_a_byte_range_holds_the_records_starting_in_it(tmp_path, backend, offset, size):
    text = "1. e4 e5 2. Nf3 Nc6 3. Bb5 a6 4. Ba4 Nf6 5. O-O"
    path = tmp_path / "game.txt"
    path.write_text(text)
    records = _records(text, ". ")
    expected = [r for r, start in zip(records, _starts(text, ". ")) if offset <= start < offset + size]
    assert _read(str(path), backend, delimiter=". ", byte_range=(offset, size)) == expected


def test_several_files_and_dask_cudf_s_chunksize(tmp_path, backend):
    texts = ["a;b;c;", "dd;ee", ""]
    for i, text in enumerate(texts):
        (tmp_path / f"part{i}.txt").write_text(text)
    expected = [r for text in texts for r in _records(text, ";")]
    assert _read(str(tmp_path / "part*.txt"), backend, delimiter=";") == expected
    assert _read([str(tmp_path / "part0.txt"), str(tmp_path / "part1.txt")], backend, delimiter=";",
                 chunksize=2) == expected
    df = gd.read_text(str(tmp_path / "part*.txt"), delimiter=";", blocksize=3, backend=backend)
    assert df.npartitions == 2 + 2 + 1 and df.divisions == (None,) * (df.npartitions + 1)


def test_refusals_name_the_option(tmp_path, backend):
    path = tmp_path / "f.txt"
    path.write_text("a;b")
    with pytest.raises(ValueError, match="delimiter must be a non-empty string"):
        gd.read_text(str(path), delimiter="", backend=backend)
    with pytest.raises(ValueError, match="blocksize or byte_range, not both"):
        gd.read_text(str(path), delimiter=";", blocksize=10, byte_range=(0, 2), backend=backend)
    with pytest.raises(ValueError, match="blocksize or chunksize"):
        gd.read_text(str(path), delimiter=";", blocksize=10, chunksize=5, backend=backend)
    with pytest.raises(FileNotFoundError, match="absent.txt"):
        gd.read_text(str(tmp_path / "absent.txt"), delimiter=";", backend=backend)
