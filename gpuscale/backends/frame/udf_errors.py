"""What to say when cuDF cannot compile a user's function.

cuDF runs ``Series.map(func)``, ``DataFrame.apply(func, axis=1)`` and friends as a numba kernel and raises
``ValueError("user defined function compilation failed.")`` from whatever numba raised (read from cuDF
26.10, ``IndexedFrame._apply``).  It fails for functions numba cannot compile, and for every function when
the installed numba is newer than the cuDF release supports (cuDF 26.10: numba < 0.65).  Neither
``meta=`` nor a retry helps; the message says so, with the cause and the numba version.
"""

from __future__ import annotations

__all__ = ["udf_failure_hint"]

_CUDF_UDF_FAILURE = "user defined function compilation failed"


def udf_failure_hint(exc: BaseException) -> str:
    """A sentence to add to an error message when ``exc`` is cuDF's UDF compilation failure, else ``""``."""
    if _CUDF_UDF_FAILURE not in str(exc):
        return ""
    from importlib.metadata import PackageNotFoundError, version

    try:
        numba = version("numba")
    except PackageNotFoundError:
        numba = "not installed"
    cause = exc.__cause__
    why = f" ({type(cause).__name__}: {str(cause).splitlines()[0] if str(cause) else ''})" if cause else ""
    return (f"; cuDF compiles the function with numba and could not{why}: either numba cannot compile it, or "
            f"the installed numba ({numba}) is newer than this cuDF supports (cuDF 26.10: numba < 0.65). meta= "
            "does not avoid the compilation; run the function on a pandas backend or express it with column "
            "operations")
