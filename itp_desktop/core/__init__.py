"""Pure domain layer: pydantic models, codes, units and errors.

No I/O, no clock, no Qt. May import: pydantic and the standard library only.
"""
