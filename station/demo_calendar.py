"""The demo's calendar: steps taken on their days in order, so a year is written as it would have happened."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from typing import Any


class Calendar:
    """Steps to take at their moments, in order; a step may plan later ones."""

    def __init__(self) -> None:
        self._queue: list[tuple[Any, int, Callable[[], Any]]] = []
        self._order = itertools.count()

    def on(self, when: Any, step: Callable[[], Any]) -> None:
        heapq.heappush(self._queue, (when, next(self._order), step))

    def run(self) -> None:
        while self._queue:
            _when, _n, step = heapq.heappop(self._queue)
            step()
