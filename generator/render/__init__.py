"""Renderers: one story at a time (the reference) and whole batches (the fast path)."""
