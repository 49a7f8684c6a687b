"""Factor 09."""
