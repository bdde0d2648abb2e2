"""File helpers: atomic writes, backups, finding workbooks, regular files, temp files, written-file checks."""
