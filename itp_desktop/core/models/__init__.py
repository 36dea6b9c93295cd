"""Pydantic models of the domain: patient record, knowledge pack and assessment."""
