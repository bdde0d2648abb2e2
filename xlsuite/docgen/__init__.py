"""Generators of the reference docs (docs/api.md, docs/workbook-contract.md)."""
