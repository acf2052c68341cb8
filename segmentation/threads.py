"""One BLAS and one OpenMP thread while fitting, also when several fits run at once.

Measured on 2 cores: k-means on 10k rows takes 6x longer with two OpenMP threads than with one
as soon as anything else runs (threads spin waiting for each other), and two BLAS pools plus
OpenMP oversubscribe the cores. One thread each is the robust choice for a bot that may serve
several chats at once.

The two limits differ in scope. OpenMP's thread count belongs to the calling thread, so
:func:`compute_limits` sets and restores it around each fit, whatever the other threads do.
OpenBLAS's belongs to the whole process, and threadpoolctl lets only one thread at a time
change it: with a limit per fit, the first of two overlapping fits to finish would put the
default back while the other still runs. A process that fits on several threads therefore
calls :func:`limit_blas_for_process` once at start: from then on the value is 1 everywhere,
so every per-fit limit (ours, and scikit-learn's own inside k-means) saves 1 and restores 1.
A single caller (``segbot analyze``, the engine benchmark) needs nothing more than the per-fit
limit.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from threadpoolctl import threadpool_limits

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def compute_limits() -> Iterator[None]:
    """Run BLAS and OpenMP single-threaded inside the block (see the module docstring)."""
    with (
        threadpool_limits(limits=1, user_api="blas"),
        threadpool_limits(limits=1, user_api="openmp"),
    ):
        yield


def limit_blas_for_process() -> None:
    """Keep BLAS at one thread for the rest of the process (call once, before fitting starts)."""
    threadpool_limits(limits=1, user_api="blas")  # applied now, never restored
    logger.info("BLAS limited to one thread for this process")
