"""Tools the tests use and anyone can run (`python -m tests.tools.NAME`)."""
