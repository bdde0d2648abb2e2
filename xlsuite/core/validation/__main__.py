"""``python -m xlsuite.core.validation [path]``: regenerate docs/rules.md from the rule catalogue."""

from .catalogue import main

raise SystemExit(main())
