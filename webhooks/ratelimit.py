"""Fixed-window rate limits on the shared cache, so every web process counts together.

While Redis is unreachable its counters read 0, so limits are not enforced (they fail
open, with one warning in the log; see core.cache.redis) and the API keeps answering.
"""

from __future__ import annotations

import time

from core.cache import Cache
from core.errors import RateLimited

WINDOW_SECONDS = 60


async def enforce(cache: Cache, subject: str, *, limit: int, window: int = WINDOW_SECONDS) -> None:
    """Count one request for `subject`; past `limit` in this window, refuse until it ends."""
    now = time.time()
    slot = int(now // window)
    count = await cache.incr(f"ratelimit:{subject}:{slot}", ttl=window + 1)
    if count > limit:
        retry_after = max(1, int((slot + 1) * window - now + 0.999))
        raise RateLimited(
            f"Too many requests; try again in {retry_after} seconds", retry_after=retry_after
        )
