"""The decision engine: pure functions from (patient, knowledge pack, as-of date) to Assessment.

No I/O and no clock. May import: core, stdlib.
"""

from itp_desktop.engine.assess import ENGINE_VERSION, assess

__all__ = ["ENGINE_VERSION", "assess"]
