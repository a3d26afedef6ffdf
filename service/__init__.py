"""The application layer: the event store application, commands, import, reports, the CLI."""
