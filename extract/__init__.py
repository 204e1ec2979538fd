"""Extractors: functions from a document's blocks to rows."""
