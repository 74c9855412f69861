.PHONY: run test migrate demo lint bench reliability

run:      ## set up and run TeamFlow on SQLite with demo data
	scripts/run

test:     ## set up and run the whole suite (SQLite, then PostgreSQL + Redis)
	scripts/test

reliability: ## run tests/reliability on both passes and write docs/reliability.md
	scripts/reliability-report

migrate:
	.venv/bin/teamflow migrate

demo:
	.venv/bin/teamflow demo

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

bench:    ## benchmark suite on PostgreSQL + Redis (BENCH_ARGS="--quick" for a smoke run)
	scripts/setup bench
	benchmarks/install-tools
	.venv/bin/python -m benchmarks $(BENCH_ARGS)
