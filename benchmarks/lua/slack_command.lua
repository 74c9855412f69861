-- A slash command signed once at the start (Slack accepts 5 minutes of clock skew), replayed.
wrk.method = "POST"
wrk.path = "/slack/events"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["X-Slack-Request-Timestamp"] = os.getenv("BENCH_TIMESTAMP")
wrk.headers["X-Slack-Signature"] = os.getenv("BENCH_SIGNATURE")
