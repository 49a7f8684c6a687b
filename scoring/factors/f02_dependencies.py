"""Factor 02."""
