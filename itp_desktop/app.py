"""Composition root: arguments, paths, logging, excepthook, services, then GUI or CLI."""
