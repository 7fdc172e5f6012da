"""Extracts from the core banking system: their format, export, validation and loading.

See docs/extracts.md. ``export_warehouse`` writes a warehouse out as an extract; ``load_extracts``
validates an extract completely and loads it as a new warehouse version (or rejects it, writing
a report, and leaves the warehouse untouched).
"""

from data_access.extracts.export import export_warehouse
from data_access.extracts.load import load_extracts
from data_access.extracts.problems import ExtractRejected

__all__ = ["ExtractRejected", "export_warehouse", "load_extracts"]
