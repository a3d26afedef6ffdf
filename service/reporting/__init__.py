"""Reporting: report requests, issuing and reprints, the documents kept, diffs, the audit export."""
