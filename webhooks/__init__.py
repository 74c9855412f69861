"""The Quart app: REST API, inbound webhooks, Slack HTTP endpoints, health."""
