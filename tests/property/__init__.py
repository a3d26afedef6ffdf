"""Property tests (hypothesis) against an independent reference fold of the events."""
