"""Global sort: sample boundaries, range-shuffle, sort each partition; ``head`` of a sort is a top-n."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.base import Blockwise, DivisionsOperand, FrameExpr, MetaOfFrame
from gpuscale.dataframe.expr.blockwise import map_partitions_expr
from gpuscale.dataframe.expr.reductions import tree_reduce
from gpuscale.dataframe.expr.shuffle import RangeShuffle

__all__ = ["BoundaryRowsMoved", "by_categories", "SortValues", "sort_boundaries_expr", "top_n", "WithDivisions"]


def sort_boundaries_expr(frame: FrameExpr, by: Any, n: int, ascending: bool = True) -> FrameExpr:
    """A lazy scalar: ``n - 1`` boundaries of the first sort key, from per-partition samples."""
    return tree_reduce(frame, bf.sample_sort_key, bf.concat_samples, bf.boundaries_from_samples,
                       {"n": n, "ascending": ascending}, None, "sort-boundaries", chunk_kwargs={"by": by})


class SortValues(MetaOfFrame, FrameExpr):
    """``sort_values(by, ascending)`` over all partitions (lowered to a range shuffle on the first key).

    ``npartitions_``: partitions of the result (None: as many as the input); ``method``: the
    shuffle's ``shuffle_method`` (None: the configured one); ``sort_function``: called on each
    shuffled partition with ``sort_kwargs`` instead of a plain sort.
    """

    _parameters = ["frame", "by", "ascending", "na_position", "npartitions_", "method", "ignore_index",
                   "sort_function", "sort_kwargs"]
    _defaults = {"npartitions_": None, "method": None, "ignore_index": False, "sort_function": None,
                 "sort_kwargs": None}

    @property
    def npartitions_out(self) -> int:
        return self.npartitions_ or self.frame.npartitions

    def _divisions(self) -> tuple:
        return (None,) * (self.npartitions_out + 1)

    def _sort_each(self, frame: FrameExpr) -> FrameExpr:
        if self.sort_function is not None:
            return map_partitions_expr(self.sort_function, frame, kwargs=dict(self.sort_kwargs), meta=self._meta,
                                       label="sort_function")
        kwargs = {"by": list(self.by), "ascending": list(self.ascending), "na_position": self.na_position,
                  "ignore_index": bool(self.ignore_index)}
        # unordered unknown categoricals sort by value (ordered ones were given one order: by_categories)
        unknown = tuple(c for c in self.by if bf.is_dataframe_like(frame._meta) and c in frame._meta.columns
                        and bf.is_unknown_categorical(frame._meta[c].dtype) and not frame._meta[c].dtype.ordered)
        if unknown and self.frame.npartitions > 1:
            kwargs["by_value"] = unknown
        return map_partitions_expr(bf.sort_partition, frame, kwargs=kwargs, meta=self._meta, label="sort_partition")

    def _lower(self) -> FrameExpr:
        n = self.npartitions_out
        if n == 1 and self.frame.npartitions == 1:
            return self._sort_each(self.frame)
        frame = by_categories(self.frame, self.by)
        bounds = sort_boundaries_expr(frame, self.by[0], n, self.ascending[0])
        return self._sort_each(RangeShuffle(frame, self.by[0], bounds, n, self.ascending[0], self.na_position,
                                            self.method))

    def top_n(self, n: int) -> FrameExpr | None:
        """The first ``n`` rows as a top-n reduction, or None where only the full sort gives them (a custom
        ``sort_function``; ``ignore_index``, whose labels count from each partition's start)."""
        if self.sort_function is not None or self.ignore_index:
            return None
        return top_n(by_categories(self.frame, self.by), n, list(self.by), list(self.ascending), self.na_position)

    def _tree_label(self) -> str:
        return f"SortValues: by={list(self.by)}, ascending={list(self.ascending)}"


def by_categories(frame: FrameExpr, by: Any) -> FrameExpr:
    """``frame`` whose ordered categorical keys of unknown categories have one order of categories in every
    partition (the one their partitions agree on, found by a tree reduction): sorted by their codes, rows of
    different partitions then compare by the categories' order, not by value."""
    meta = frame._meta
    keys = [c for c in by if bf.is_dataframe_like(meta) and c in meta.columns
            and bf.is_unknown_categorical(meta[c].dtype) and meta[c].dtype.ordered]
    if not keys or frame.npartitions == 1:
        return frame
    agreed = tree_reduce(frame, bf.ordered_category_lists, bf.combined_category_lists, bf.agreed_ordered_categories,
                         {}, None, "ordered-categories", chunk_kwargs={"columns": keys})
    return map_partitions_expr(bf.with_ordered_categories, frame, agreed, meta=meta, label="ordered-categories")


def top_n(frame: FrameExpr, n: int, by: list, ascending: list, na_position: str = "last") -> FrameExpr:
    """The first ``n`` rows in sort order, as a tree reduction (no shuffle)."""
    kwargs = {"n": n, "by": by, "ascending": ascending, "na_position": na_position}
    return tree_reduce(frame, bf.top_n, bf.top_n, bf.top_n, kwargs, frame._meta, "top-n", chunk_kwargs=kwargs)


class WithDivisions(MetaOfFrame, DivisionsOperand, Blockwise):
    """The same partitions, with known divisions (after ``set_index``)."""

    _parameters = ["frame", "divisions_"]

    @staticmethod
    def operation(part: Any, _: Any = None) -> Any:
        return part

    def _task(self, i: int) -> tuple:
        return (self.operation, (self.frame._name, i))


class BoundaryRowsMoved(MetaOfFrame, DivisionsOperand, FrameExpr):
    """Index-sorted partitions whose neighbours share a boundary label, made to meet their ``divisions_``: the rows
    labelled with a partition's upper boundary move on to the partition that boundary starts (``set_index(col,
    sorted=True)`` of ``[1, 2 | 2, 3]`` gives ``[1 | 2, 2, 3]``, divisions ``(1, 2, 3)``).

    ``plan``: per output partition ``(carried, own, drop_upper)``: the input partitions whose rows labelled with
    its lower boundary come first, its own input partition, and whether that one's rows labelled with its upper
    boundary leave it.
    """

    _parameters = ["frame", "plan", "divisions_"]

    def _layer(self) -> dict:
        div, name, frame = self.divisions_, self._name, self.frame._name
        layer = {}
        for j, (carried, own, drop_upper) in enumerate(self.plan):
            pieces = [(bf.rows_labelled, (frame, i), div[j], True) for i in carried]
            pieces.append((bf.rows_labelled, (frame, own), div[j + 1], False) if drop_upper else (frame, own))
            layer[(name, j)] = (bf.select_pieces, pieces, self._meta)
        return layer
