"""Factor 07."""
