"""Who is calling: JWT access tokens, API tokens, and the actor they act as."""
