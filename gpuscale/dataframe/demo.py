"""``dask.dataframe.demo``: ``make_timeseries`` (see :mod:`gpuscale.datasets`)."""

from gpuscale.datasets import make_timeseries

__all__ = ["make_timeseries"]
