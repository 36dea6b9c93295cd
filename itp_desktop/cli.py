"""Command-line interface (composition-root layer): argument parsing and sub-commands."""
