"""Integrity: the keyed hash chain, its keys and links, anchors, and the alarm on outside writes."""
