"""Bolt listeners: each translates one Slack interaction into `core` calls and a reply."""
