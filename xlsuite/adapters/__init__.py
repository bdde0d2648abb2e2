"""The one place each library's private parts are used.

xlsuite needs a few things its libraries do not offer publicly: xlsxwriter rows rendered ahead
and its package deflated quickly, openpyxl's reader without ``load_workbook``'s checks of the
file name, python-docx's XML elements, ms-ovba's project builder, argparse's text lookups (its
own words in Chinese). Each library's private parts are reached from one module here, whose
docstring lists exactly what it relies on and why; ``pyproject.toml`` pins each such library below its next minor version, and
``tests/test_adapters.py`` fails with the module to update when a new version moves something.

An adapter imports only its library and the standard library; the rest of xlsuite calls the
small functions and classes of an adapter and touches no private name of the library itself.
The core (model, contract, profile, amounts, scoring, validation) imports no adapter.
"""
