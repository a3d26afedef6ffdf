"""The command side's one way in: every write of the CLI, the web's forms, the API and uploads."""
