"""Factor 05."""
