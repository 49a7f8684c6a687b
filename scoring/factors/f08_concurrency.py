"""Factor 08."""
