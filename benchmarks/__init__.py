"""TeamFlow's benchmark suite: `make bench` (or `python -m benchmarks --help`).

Not part of the test suite: it seeds its own PostgreSQL database, starts real servers
and drives them with wrk. See benchmarks/README.md for what it measures and the figures.
"""
