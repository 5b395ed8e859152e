"""``Array.to_svg`` (dask's picture of the blocks) and the picture in ``_repr_html_``: one line per block
boundary where dask draws one, valid SVG, and dask's refusals (0-d, 0-length axes, unknown lengths)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

import gpuscale.array as ga

da = pytest.importorskip("dask.array")


def _lines(svg: str) -> tuple:
    """(horizontal y positions, vertical x positions) of the grid lines."""
    root = ET.fromstring(svg)
    lines = [e.attrib for e in root.iter() if e.tag.endswith("line")]
    ys = sorted({float(a["y1"]) for a in lines if a["y1"] == a["y2"]})
    xs = sorted({float(a["x1"]) for a in lines if a["x1"] == a["x2"]})
    return ys, xs


@pytest.mark.parametrize("shape, chunks", [((10, 20), 5), ((12, 12), (4, (2, 4, 6))), ((30,), 7),
                                           ((4, 6, 8), 2)])
def test_grid_lines_are_the_block_boundaries_as_dasks(shape, chunks):
    ours = ga.ones(shape, chunks=chunks)
    theirs = da.ones(shape, chunks=chunks)
    ys, xs = _lines(ours.to_svg(size=300))
    rows, cols = ours.chunks[-2:] if ours.ndim > 1 else ((1,), ours.chunks[0])
    assert len(ys) == len(rows) + 1 and len(xs) == len(cols) + 1
    # boundaries at the cumulative block lengths, in proportion
    np.testing.assert_allclose(np.array(xs) / xs[-1], np.cumsum((0,) + cols) / sum(cols), atol=0.01)
    np.testing.assert_allclose(np.array(ys) / ys[-1], np.cumsum((0,) + rows) / sum(rows), atol=0.02)
    if ours.ndim <= 2:  # dask draws the same grid (3-d: dask draws a cube, gpuscale its last two axes)
        d_ys, d_xs = _lines(theirs.to_svg(size=300))
        assert (len(d_ys), len(d_xs)) == (len(ys), len(xs))
        np.testing.assert_allclose(np.array(xs) / xs[-1], np.array(d_xs) / d_xs[-1], atol=0.02)


def test_longer_side_is_size():
    ys, xs = _lines(ga.ones((10, 40), chunks=10).to_svg(size=200))
    assert xs[-1] == 200 and ys[-1] == 50


def test_many_blocks_draw_only_the_outline():
    ys, xs = _lines(ga.ones((1000, 10), chunks=(5, 10)).to_svg())
    assert len(ys) == 2 and len(xs) == 2


@pytest.mark.parametrize("make", [lambda m: m.ones(()), lambda m: m.ones((0, 4)),
                                  lambda m: m.ones(10, chunks=5)[m.ones(10, chunks=5) > 0]])
def test_what_dask_cannot_draw_raises_as_dask(make):
    with pytest.raises(NotImplementedError):
        make(da).to_svg()
    with pytest.raises(NotImplementedError):
        make(ga).to_svg()


def test_repr_html_shows_the_picture_when_there_is_one():
    assert "<svg" in ga.ones((6, 5), chunks=(4, 2))._repr_html_()
    html = ga.ones(())._repr_html_()
    assert "<svg" not in html and "()" in html
