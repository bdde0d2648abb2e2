"""Packaging beyond what pyproject.toml can say: the wheel's ``xlsuite.macros`` comes from ``macros/``.

The VBA modules and the ribbon XML are kept at the repository root (reviewed as text, next to
the code that builds the workbooks from them); the template builder and ``xlsuite addin install``
read them from the installed package, so the wheel carries them as ``xlsuite/macros/``.
Which files each package carries is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=[*find_namespace_packages(include=["xlsuite", "xlsuite.*"]), "xlsuite.macros"],
    package_dir={"xlsuite.macros": "macros"},
)
