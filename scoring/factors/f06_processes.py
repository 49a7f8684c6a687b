"""Factor 06."""
