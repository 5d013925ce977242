"""What a serving process does once its application is loaded."""

from __future__ import annotations

import gc


def freeze_what_is_loaded() -> None:
    """Move every object alive now — Django, the URLconf, the templates, the planner's kernels —
    out of the garbage collector's reach (`gc.freeze`), so that a full collection scans only what
    requests allocate. Measured on the 1M-event demo: a full collection paused the request it
    landed in by ~90 ms; with the loaded objects frozen, by ~15 ms. They live as long as the
    process anyway, so nothing that could be freed is kept."""
    gc.collect()
    gc.freeze()
