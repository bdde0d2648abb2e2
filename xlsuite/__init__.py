"""xlsuite: budget performance self-evaluation (预算绩效自评) in Excel for Chinese county finance."""

__version__ = "0.1.0"
