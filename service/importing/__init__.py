"""Import: JSON Lines checked against the command schemas and applied by the handlers, all or
nothing."""
