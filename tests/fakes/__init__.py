"""Fakes at the Slack boundary.

`slack_api.FakeSlack` is a real local HTTP server playing the Slack Web API;
`slack_requests` builds the bodies and headers Slack sends to `/slack/events`.
Both describe the same workspace (`workspace`).
"""
