"""Demo and synthetic patient data. May import: core."""
