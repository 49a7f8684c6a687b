"""Factor 03."""
