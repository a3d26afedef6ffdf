"""Backups: the backup file, restore (with its documents journal) and migration to PostgreSQL."""
