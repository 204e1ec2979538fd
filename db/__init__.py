"""Storage: schema, loading and full-text search; the only place that writes SQL."""
