"""What keeps two builds of a file xlsuite ships byte-identical.

The standard template (``template``) and the add-in (``excel.addin``) both stamp this creation
time instead of the build time. It sits in a module of its own so that neither builder imports
the other for it.
"""

from __future__ import annotations

import datetime as dt

FIXED_CREATED = dt.datetime(2021, 1, 1)
"""The ``created`` document property of the built template and add-in."""
