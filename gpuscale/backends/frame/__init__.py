"""Partition-level functions for pandas and cuDF: one pandas-like implementation.

Every function here takes partitions (``DataFrame`` / ``Series`` of pandas or
cuDF) and works on both libraries; the few places where they differ are tiny
helpers named after the difference (``namespace``, ``library_of``, the cuDF
hash split).  ``gpuscale.dataframe`` builds task graphs out of these
functions and never imports pandas or cuDF itself.

Modules: ``core`` (library helpers, metadata), ``ops`` (partition operations,
creation, merge), ``reductions``, ``shuffle`` (hash/range splits, sorting),
``distinct`` (unique values, value counts, describe), ``groupby``, ``p2p`` (partitions in the
form a cluster's P2P shuffle moves them).
"""

from gpuscale.backends.frame.binning import *  # noqa: F401,F403
from gpuscale.backends.frame.bounds import *  # noqa: F401,F403
from gpuscale.backends.frame.categorical import *  # noqa: F401,F403
from gpuscale.backends.frame.combine import *  # noqa: F401,F403
from gpuscale.backends.frame.compare import *  # noqa: F401,F403
from gpuscale.backends.frame.core import *  # noqa: F401,F403
from gpuscale.backends.frame.corr import *  # noqa: F401,F403
from gpuscale.backends.frame.cudf_gaps import *  # noqa: F401,F403
from gpuscale.backends.frame.cudf_isin import *  # noqa: F401,F403
from gpuscale.backends.frame.cudf_ufuncs import *  # noqa: F401,F403
from gpuscale.backends.frame.custom import *  # noqa: F401,F403
from gpuscale.backends.frame.datetime_text import *  # noqa: F401,F403
from gpuscale.backends.frame.describe import *  # noqa: F401,F403
from gpuscale.backends.frame.distinct import *  # noqa: F401,F403
from gpuscale.backends.frame.duplicated import *  # noqa: F401,F403
from gpuscale.backends.frame.elementwise import *  # noqa: F401,F403
from gpuscale.backends.frame.ewm_times import *  # noqa: F401,F403
from gpuscale.backends.frame.ewm_moments import *  # noqa: F401,F403
from gpuscale.backends.frame.ewm_recursive import *  # noqa: F401,F403
from gpuscale.backends.frame.expanding import *  # noqa: F401,F403
from gpuscale.backends.frame.expressions import *  # noqa: F401,F403
from gpuscale.backends.frame.expanding_moments import *  # noqa: F401,F403
from gpuscale.backends.frame.expanding_history import *  # noqa: F401,F403
from gpuscale.backends.frame.fill import *  # noqa: F401,F403
from gpuscale.backends.frame.groupby import *  # noqa: F401,F403
from gpuscale.backends.frame.groupby import GROUPBY_PARTIALS  # noqa: F401
from gpuscale.backends.frame.groupby_extras import *  # noqa: F401,F403
from gpuscale.backends.frame.index import *  # noqa: F401,F403
from gpuscale.backends.frame.inferred_dtypes import *  # noqa: F401,F403
from gpuscale.backends.frame.interpolate import *  # noqa: F401,F403
from gpuscale.backends.frame.join import *  # noqa: F401,F403
from gpuscale.backends.frame.key_filter import *  # noqa: F401,F403
from gpuscale.backends.frame.labels import *  # noqa: F401,F403
from gpuscale.backends.frame.loc import *  # noqa: F401,F403
from gpuscale.backends.frame.lookup import *  # noqa: F401,F403
from gpuscale.backends.frame.merge_asof import *  # noqa: F401,F403
from gpuscale.backends.frame.ops import *  # noqa: F401,F403
from gpuscale.backends.frame.p2p import *  # noqa: F401,F403
from gpuscale.backends.frame.partition_concat import *  # noqa: F401,F403
from gpuscale.backends.frame.positions import *  # noqa: F401,F403
from gpuscale.backends.frame.rank import *  # noqa: F401,F403
from gpuscale.backends.frame.reductions import *  # noqa: F401,F403
from gpuscale.backends.frame.relabel import *  # noqa: F401,F403
from gpuscale.backends.frame.reshape import *  # noqa: F401,F403
from gpuscale.backends.frame.routed import *  # noqa: F401,F403
from gpuscale.backends.frame.scalars import *  # noqa: F401,F403
from gpuscale.backends.frame.selection import *  # noqa: F401,F403
from gpuscale.backends.frame.shuffle import *  # noqa: F401,F403
from gpuscale.backends.frame.staged_shuffle import *  # noqa: F401,F403
from gpuscale.backends.frame.stats import *  # noqa: F401,F403
from gpuscale.backends.frame.strings import *  # noqa: F401,F403
from gpuscale.backends.frame.valid_rows import *  # noqa: F401,F403
from gpuscale.backends.frame.time_of_day import *  # noqa: F401,F403
from gpuscale.backends.frame.udf_errors import *  # noqa: F401,F403
from gpuscale.backends.frame.unstack import *  # noqa: F401,F403
from gpuscale.backends.frame.window import *  # noqa: F401,F403
from gpuscale.backends.frame.cumulative import *  # noqa: F401,F403
