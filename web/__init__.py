"""The Flask web application (data entry, inspection, JSON API): built in its own issue."""
