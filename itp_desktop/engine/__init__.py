"""The decision engine: pure functions from (patient, knowledge pack, as-of date) to Assessment.

No I/O and no clock. May import: core, stdlib.
"""
