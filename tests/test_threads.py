"""One BLAS thread while fitting, also when two fits on the workers overlap."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from threadpoolctl import threadpool_info, threadpool_limits

from bot.workers import Workers
from segmentation.threads import compute_limits


def blas_threads() -> int:
    """The largest BLAS thread count among the loaded libraries."""
    return max(lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas")


async def test_a_fit_ending_first_leaves_the_other_on_one_blas_thread(db_path: Path) -> None:
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[int] = []

    def first() -> None:
        with compute_limits():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with compute_limits():
            second_in.set()
            first_out.wait(5)
            seen.append(blas_threads())

    with threadpool_limits(limits=2, user_api="blas"):  # a machine whose default is more
        workers = Workers(db_path, cpu_threads=2)
        await workers.start()
        try:
            await workers.cpu(lambda: None)  # the pool's threads exist before the fits start
            await asyncio.gather(workers.cpu(first), workers.cpu(second))
        finally:
            await workers.close()

    assert first_out.is_set()
    assert seen == [1]
