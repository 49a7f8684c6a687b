"""Factor 11."""
