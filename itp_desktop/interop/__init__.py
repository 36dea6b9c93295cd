"""Data exchange: the patient JSON exchange file, CSV lab import and FHIR export.

May import: core, stdlib, pydantic.
"""
