"""Work that may not end well, in a process of its own that can be stopped.

An Excel workbook is read by a library that cannot be interrupted and, for a small file
built to do so, can take minutes and gigabytes. Such reads run in a child process with a
wall-clock limit and an address-space limit: past either, the child is killed, the manager
hears why, and every other chat goes on as if nothing happened.

Children are forked from a small server process that has imported the engine once (not from
the bot, which has threads), so starting one costs milliseconds.
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from bot.i18n import current_language, use_language

logger = logging.getLogger(__name__)

_CONTEXT = multiprocessing.get_context("forkserver")
# The engine, the workbook reader and the catalogs are imported once, before any memory limit
# applies.
_CONTEXT.set_forkserver_preload(
    ["segmentation", "openpyxl", "pandas.io.excel._openpyxl", "bot.i18n"]
)

_running: set[BaseProcess] = set()
_running_lock = threading.Lock()


class TooSlow(Exception):
    """The work did not finish within its wall-clock limit."""


class TooLarge(Exception):
    """The work needed more memory than its limit."""


def run_in_child(
    fn: Callable[..., Any],
    *args: Any,
    wall_seconds: float,
    memory_bytes: int,
    **kwargs: Any,
) -> Any:
    """Run ``fn(*args, **kwargs)`` in a child process and return its result.

    Blocks the calling thread (run it on an executor, never on the event loop). The child
    renders texts in the caller's language, as a thread would.

    Args:
        fn: A module-level function (it is pickled by name).
        wall_seconds: Longest the child may run.
        memory_bytes: The child's address-space limit.

    Returns:
        What ``fn`` returned.

    Raises:
        TooSlow: The child ran past ``wall_seconds``; it was killed.
        TooLarge: The child ran out of memory; it was stopped.
        Exception: Whatever ``fn`` raised (it must be picklable, as the engine's errors are).
    """
    receive, send = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(
        target=_child_main,
        args=(send, fn, args, kwargs, memory_bytes, current_language()),
        daemon=True,
    )
    child.start()
    send.close()
    with _running_lock:
        _running.add(child)
    try:
        if not receive.poll(wall_seconds):
            raise TooSlow(f"over {wall_seconds:.0f} s")
        try:
            status, value = receive.recv()
        except EOFError:  # killed by the kernel, or died without a word
            raise TooLarge("the reader stopped") from None
        if status == "memory":
            raise TooLarge("out of memory")
        if status == "error":
            raise value
        return value
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receive.close()
        with _running_lock:
            _running.discard(child)


def stop_children() -> None:
    """Kill every child still running (the bot is leaving)."""
    with _running_lock:
        children = list(_running)
    for child in children:
        if child.is_alive():
            child.kill()


def _memory_exhausted() -> bool:
    """Whether the child cannot allocate even a little more memory."""
    try:
        probe = bytearray(_PROBE_BYTES)
    except MemoryError:
        return True
    del probe
    return False


#: What the child must still be able to allocate for a failure not to be blamed on memory.
_PROBE_BYTES = 16 * 1024 * 1024


def _child_main(
    send: Connection,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    memory_bytes: int,
    language: str = "en",
) -> None:
    """In the child: limit the address space, speak the caller's language, run, send back
    the result or the error."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    use_language(language)
    try:
        result = fn(*args, **kwargs)
    except MemoryError:
        send.send(("memory", None))
    except Exception as exc:  # passed to the parent, which raises it
        # Libraries report exhausted memory in many ways (a refusal made from a MemoryError,
        # an XML "out of memory", a failed import); when a small allocation fails now too,
        # memory is what ran out.
        if isinstance(exc.__cause__, MemoryError) or _memory_exhausted():
            send.send(("memory", None))
            return
        try:
            send.send(("error", exc))
        except Exception:  # an exception that cannot be pickled
            send.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    else:
        try:
            send.send(("ok", result))
        except MemoryError:
            send.send(("memory", None))
    finally:
        send.close()
