"""Factor 04."""
