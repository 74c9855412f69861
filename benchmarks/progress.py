"""Progress lines on stderr (TeamFlow's app factory reconfigures `logging`, so not that)."""

from __future__ import annotations

import sys
import time

_STARTED = time.monotonic()


def say(message: str, *args: object) -> None:
    elapsed = time.monotonic() - _STARTED
    text = message % args if args else message
    print(f"[bench {elapsed:7.1f}s] {text}", file=sys.stderr, flush=True)
