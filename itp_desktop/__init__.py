"""ITP Desktop: offline bedside assistant for immune thrombocytopenia clinics.

This module holds the version string only; it imports nothing.
"""

__version__ = "0.1.0"
