"""``convert_dtypes`` and ``infer_objects``, as pandas' (dask has neither): the dtypes pandas would infer from all
the values are computed at once (each partition's inferred dtypes, combined as pandas combines them; see
:mod:`gpuscale.backends.frame.inferred_dtypes`), then each partition is converted and cast to them.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf

__all__ = ["InferredDtypeMethods"]


class InferredDtypeMethods:
    """Mixin of DataFrame and Series: ``convert_dtypes``, ``infer_objects``."""

    def _inferred(self, method: str, options: dict) -> Any:
        from gpuscale.collection import compute
        from gpuscale.dataframe.core import new_collection
        from gpuscale.dataframe.expr.reductions import tree_reduce

        kw = {"method": method, "options": options}
        sample_meta = bf.make_meta(bf.inferred_sample(bf.meta_nonempty(self._meta), **kw))
        samples = tree_reduce(self.expr, bf.inferred_sample, bf.combined_samples, bf.combined_samples, {},
                              sample_meta, f"{method}-dtypes", chunk_kwargs=kw)
        (sample,) = compute(new_collection(samples))
        meta = bf.make_meta(sample)
        return self._map(bf.as_inferred, kwargs={**kw, "sample": meta}, meta=meta, label=method)

    def convert_dtypes(self, **options: Any) -> Any:
        """Columns as the best dtypes that hold missing values (``Int64``, ``Float64``, ``boolean``, ``string``),
        as pandas' ``convert_dtypes`` of the whole collection (the dtypes are computed at once: they depend on
        the values, such as floats that are all whole numbers).

        Parameters
        ----------
        **options
            pandas' ``infer_objects``, ``convert_string``, ``convert_integer``, ``convert_boolean``,
            ``convert_floating``, ``dtype_backend`` (passed on only when given).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"x": [1.0, 2.0, None], "s": ["a", "b", None]})
        >>> gd.from_pandas(pdf, npartitions=2, backend="cpu").convert_dtypes().dtypes.astype(str).tolist()
        ['Int64', 'string']
        """
        return self._inferred("convert_dtypes", options)

    def infer_objects(self) -> Any:
        """Object columns as the dtype their values have (numbers, times, text), as pandas' ``infer_objects`` of
        the whole collection (the dtypes are computed at once).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"o": pd.Series([1, 2, 3], dtype=object)})
        >>> gd.from_pandas(pdf, npartitions=2, backend="cpu").infer_objects().dtypes.astype(str).tolist()
        ['int64']
        """
        return self._inferred("infer_objects", {})
