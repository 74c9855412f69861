"""The fake Slack Web API in a process of its own, for the digest fan-out: Slack's servers
are not on the scheduler's CPU, so the fake's request handling must not be either.

`python -m benchmarks.fake_slack_process --latency 0.02 [--fail-rate 0.05 --seed N]`
prints `URL <base url>`, then answers each line on stdin: `stats` prints `STATS {json}`
(calls per method), end of input stops it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter

from tests.fakes.slack_api import FakeSlack


async def serve(latency: float, fail_rate: float, seed: int) -> None:
    async with FakeSlack() as fake:
        fake.latency = latency
        if fail_rate:
            fake.fail_randomly("chat.postMessage", rate=fail_rate, retry_after=1, seed=seed)
        print(f"URL {fake.base_url}", flush=True)
        loop = asyncio.get_running_loop()
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            if line.strip() == "stats":
                counts = Counter(call.method for call in fake.calls())
                print(f"STATS {json.dumps(counts)}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--fail-rate", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    asyncio.run(serve(args.latency, args.fail_rate, args.seed))


if __name__ == "__main__":
    main()
