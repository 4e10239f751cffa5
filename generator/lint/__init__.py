"""`storygen check`: every problem in a grammar file, with its location."""
