"""Counting the SQL statements TeamFlow sends, in-process, from Tortoise's own query log.

Tortoise logs every statement it runs at DEBUG on the `tortoise.db_client` logger; a
handler that only counts them measures queries per request or per digest without
touching TeamFlow's code.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

LOGGER = "tortoise.db_client"


class QueryCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.count = 0
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.args and isinstance(record.args, tuple):
            self.count += 1
            self.statements.append(str(record.args[0])[:200])


@contextmanager
def counting_queries() -> Iterator[QueryCounter]:
    logger = logging.getLogger(LOGGER)
    counter = QueryCounter()
    level, propagate = logger.level, logger.propagate
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)
        logger.propagate = propagate
