"""The application layer: the event store application, accounts, and rooms for import, integrity,
backups and reporting (entry points live in cli/ and web/)."""
