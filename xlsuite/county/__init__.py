"""County consolidation: many departments' workbooks into one county summary workbook."""

from .consolidation import consolidate
from .results import ConsolidationResult, Department, Rejected
from .roster import Missing, RosterEntry, read_roster

__all__ = ["consolidate", "ConsolidationResult", "Department", "Rejected", "Missing", "RosterEntry",
           "read_roster"]
