"""Scheduled digests, reminders and weekly reports, sent exactly once."""
