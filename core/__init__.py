"""TeamFlow's shared domain: models, services, permissions, cache and settings."""
