"""Factor 12."""
