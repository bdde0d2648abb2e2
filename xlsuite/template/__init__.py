"""The standard workbook: the builder, the formulas compiled from a profile, the 校验 formulas, the sample."""
