"""TeamFlow in Slack: slash commands, interactive messages, modals, App Home, install."""
