"""Factor 01."""
