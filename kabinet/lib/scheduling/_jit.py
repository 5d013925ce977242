"""Optional numba acceleration.

The scheduling kernels are written in a numba-compatible subset of Python. When numba is
installed they are compiled (and cached next to the module); without it they still run, as
plain Python, correctly but much more slowly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

try:  # pragma: no cover - depends on the environment
    from numba import njit as _njit

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover
    _njit = None
    HAVE_NUMBA = False

# Which path the kernels take in this process; benchmarks report it.
ENGINE = "numba" if HAVE_NUMBA else "python"


def njit(func: Callable[..., Any]) -> Callable[..., Any]:
    """Compile ``func`` with numba when available (cached on disk), else return it as is."""
    if _njit is None:  # pragma: no cover
        return func
    return _njit(cache=True, nogil=True)(func)
