"""pandas' Index members about names and levels that dask's Index lacks: ``names``, ``nlevels`` (from the
metadata) and, partition by partition, ``set_names``, ``get_level_values``, ``droplevel`` and ``to_flat_index`` (a
MultiIndex comes from a groupby of several keys or ``set_index(..., append=True)``)."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf

__all__ = ["IndexLevelMethods"]


class IndexLevelMethods:
    """Mixin of :class:`gpuscale.dataframe.Index`."""

    @property
    def names(self) -> list:
        """The names of the index's levels (one for a flat index), as pandas.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 1, 2], "j": [3, 4, 3], "x": [1.0, 2.0, 3.0]})
        >>> idx = gd.from_pandas(pdf, npartitions=2, backend="cpu").groupby(["k", "j"]).x.sum().index
        >>> idx.names, idx.nlevels
        (['k', 'j'], 2)
        """
        return list(self._meta.names)

    @property
    def nlevels(self) -> int:
        """The number of levels (1 for a flat index), as pandas."""
        return int(self._meta.nlevels)

    def set_names(self, names: Any, level: Any = None) -> Any:
        """The index with new level names (partition-wise), as pandas' ``set_names``.

        Parameters
        ----------
        names : label or list of labels
            A name, one per level, or those of ``level``.
        level : int, label or list, optional
            The levels to rename.

        Returns
        -------
        Index

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> idx = gd.from_pandas(pd.DataFrame({"x": range(3)}), npartitions=2, backend="cpu").index
        >>> idx.set_names("row").compute().name
        'row'
        """
        return self._method("set_names", names, level=level)

    def get_level_values(self, level: Any) -> Any:
        """One level's values as a flat Index (partition-wise), as pandas.

        Parameters
        ----------
        level : int or label

        Returns
        -------
        Index

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 1, 2], "j": [3, 4, 3], "x": [1.0, 2.0, 3.0]})
        >>> idx = gd.from_pandas(pdf, npartitions=2, backend="cpu").groupby(["k", "j"]).x.sum().index
        >>> sorted(idx.get_level_values("j").compute().tolist())
        [3, 3, 4]
        """
        return self._method("get_level_values", level).clear_divisions()

    def droplevel(self, level: Any = 0) -> Any:
        """The index without the levels ``level`` (partition-wise), as pandas.

        Parameters
        ----------
        level : int, label or list

        Returns
        -------
        Index

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 1, 2], "j": [3, 4, 3], "x": [1.0, 2.0, 3.0]})
        >>> idx = gd.from_pandas(pdf, npartitions=2, backend="cpu").groupby(["k", "j"]).x.sum().index
        >>> idx.droplevel("k").name
        'j'
        """
        return self._method("droplevel", level).clear_divisions()

    def to_flat_index(self) -> Any:
        """A MultiIndex as a flat Index of tuples (partition-wise), as pandas (a flat index stays; cuDF, which has
        no Python objects, refuses it).

        Returns
        -------
        Index

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2], "j": [3, 4], "x": [1.0, 2.0]})
        >>> idx = gd.from_pandas(pdf, npartitions=1, backend="cpu").groupby(["k", "j"]).x.sum().index
        >>> idx.to_flat_index().compute().tolist()
        [(1, 3), (2, 4)]
        """
        if self.nlevels == 1:  # (cuDF's flat Index has no to_flat_index)
            return self
        if bf.library_of(self._meta) == "cudf":
            raise NotImplementedError("to_flat_index: cuDF holds no Index of tuples (Python objects); use "
                                      "get_level_values for each level, or to_backend('pandas') first")
        return self._method("to_flat_index").clear_divisions()
