"""Tools around the generator: stats, explain, verify and the record schema."""
