"""Analytics view models and their renderings for the web and for Slack."""
