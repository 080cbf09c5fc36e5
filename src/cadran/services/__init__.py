"""Use cases: the only layer that combines the pure core with adapters (store, sources)."""
