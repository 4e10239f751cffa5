"""The seeded sampler: counter-based draws, controls, slot values and the unit rules."""
