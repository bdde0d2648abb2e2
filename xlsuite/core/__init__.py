"""The core: the workbook contract, the model, profiles, scoring and validation. Standard library only."""
