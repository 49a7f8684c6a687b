"""Factor 10."""
