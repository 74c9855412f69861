"""Use cases. Every door calls these; none of them touches a model directly."""
