.PHONY: run test migrate demo lint

run:      ## set up and run TeamFlow on SQLite with demo data
	scripts/run

test:     ## set up and run the whole suite (SQLite, then PostgreSQL + Redis)
	scripts/test

migrate:
	.venv/bin/teamflow migrate

demo:
	.venv/bin/teamflow demo

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
