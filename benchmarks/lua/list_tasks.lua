-- GET /api/v1/tasks with a bearer token (BENCH_TOKEN) on a fixed path (BENCH_PATH).
wrk.method = "GET"
wrk.path = os.getenv("BENCH_PATH")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.headers["Accept"] = "application/json"
