"""The assistant's figure for `benchmark_pages`: how well the parser reads the held-out
requests it was not tuned on (assistant/evaluation.py), and how long one takes."""

import time
from typing import Protocol

from assistant.evaluation import HELD_OUT, TODAY, accuracy
from assistant.parser import get_parser


class _Out(Protocol):
    def write(self, text: str) -> object: ...


def report_assistant_accuracy(out: _Out) -> None:
    parser = get_parser()
    started = time.perf_counter()
    # The first requests load dateparser's language data; that is timed on its own.
    accuracy(HELD_OUT[:3], parser)
    warm_up = time.perf_counter() - started
    started = time.perf_counter()
    result = accuracy(HELD_OUT, parser)
    per_request = (time.perf_counter() - started) * 1000 / max(result.total, 1)
    out.write(
        f"Assistant parser, held-out requests: {result.correct}/{result.total} "
        f"({result.share:.0%}) read right, {per_request:.1f} ms a request "
        f"(first requests of a process: {warm_up:.1f} s; dates as of {TODAY.isoformat()})\n"
    )
    for text, intent, args in result.misses:
        out.write(f"  missed: {text!r} -> {intent} {args}\n")
