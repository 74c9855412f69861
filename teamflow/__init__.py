"""The composition root: wires settings, database, cache and doors into processes."""
