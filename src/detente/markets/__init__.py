"""markets stage."""
