"""pandas-version gates for tests whose expected values are pandas 3's.

gpuscale supports pandas 2.2 and 3 (CI runs pandas 3).  Where pandas 2.2 itself answers differently
(its defaults, or a behaviour pandas 3 changed) a test that compares with fixed values, with dask (which
converts text to Arrow strings under pandas 2) or with pandas 3's messages says so with this mark, and
the reason names the difference.
"""

from __future__ import annotations

import pandas as pd
import pytest

PANDAS_3 = int(pd.__version__.split(".")[0]) >= 3


def needs_pandas_3(why: str):
    """Skip under pandas < 3, with ``why``: what pandas 2.2 does differently."""
    return pytest.mark.skipif(not PANDAS_3, reason=f"pandas {pd.__version__}: {why}")
