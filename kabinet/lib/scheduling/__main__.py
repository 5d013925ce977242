"""``python -m kabinet.lib.scheduling``: compile the numba kernels into their on-disk cache.

``make install`` runs it, so that no user waits for a compilation: the first plan of a fresh
process loads the kernels from the cache (``__pycache__/*.nbi|*.nbc`` next to the modules)
instead of compiling them. Without numba there is nothing to compile; it says so.
"""

from __future__ import annotations

import time

from . import _jit, planner, wt


def main() -> int:
    started = time.perf_counter()
    wt.warm_up()
    planner.warm_up()
    seconds = time.perf_counter() - started
    if _jit.HAVE_NUMBA:
        print(f"scheduling kernels ready (numba, on-disk cache) in {seconds:.1f} s")
    else:
        print("numba is not installed: the scheduling kernels run as plain Python")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
