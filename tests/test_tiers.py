"""The fast tier, ``pytest -m "not slow"`` (the README's suggestion after a change), still runs the
core's tests whole and a happy path of every command; CI (``.ci/run``) runs every test."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import REPO

from xlsuite.cli import build_parser_with_commands

HAPPY_PATHS = {
    "template": "tests/test_cli.py::test_template_command_builds_template_and_sample",
    "read": "tests/test_cli.py::test_read_summarises_the_sample",
    "validate": "tests/test_validate_cli.py::test_seed_reports_projects_253_against_281_and_exits_1",
    "score": "tests/test_score.py::test_output_into_a_folder_and_cli_summary",
    "report": "tests/test_report.py::test_cli_writes_report_beside_the_book_and_leaves_the_book_alone",
    "consolidate": "tests/test_consolidate.py::test_exit_0_and_says_where_the_rejections_are",
    "feedback": "tests/test_letters_readable.py::test_an_unreadable_file_named_after_a_roster_unit_gets_that_units_letter",
    "demo": "tests/test_demo.py::test_demo_includes_exactly_the_good_books",  # run_demo, what the command runs
    "addin": "tests/test_interpreter.py::test_addin_install_on_windows_writes_the_interpreter_and_says_where_the_dll_is",
    "serve": "tests/test_serve.py::test_the_server_answers_the_edits_cpython_makes",
}
"""Command → a test of the fast tier that runs it on a good book and checks what it made."""

CI_ONLY = {
    "bundle": "pip resolves and installs a bundle from the wheelhouse .ci/run downloads (tests/test_bundle.py)",
}
"""Commands whose happy path only the full suite runs, and why."""

CORE = ("test_contract.py", "test_contract_v11.py", "test_amounts.py", "test_profiles.py",
        "test_province_rules.py", "test_scoring.py", "test_validation.py", "test_validation_huge.py",
        "test_false_findings.py", "test_seed_printed_scores.py", "test_saved_by.py")
"""Test modules of the core (contract, model, profile, amounts, scoring, validation, evaluation)
and of the reader on books real applications saved: the fast tier runs every one of their tests."""


def test_every_command_has_a_happy_path_in_the_fast_tier_or_says_why_not():
    _, commands = build_parser_with_commands()
    assert sorted(HAPPY_PATHS.keys() | CI_ONLY.keys()) == sorted(commands)
    assert not HAPPY_PATHS.keys() & CI_ONLY.keys()


def test_the_fast_tier_runs_the_happy_paths_and_the_core_whole():
    """No happy path and no test of the core is marked slow (and every happy path exists: pytest
    refuses a test it cannot find)."""
    result = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                             "-m", "slow", *HAPPY_PATHS.values(), *(f"tests/{name}" for name in CORE)],
                            cwd=REPO, capture_output=True, text=True)
    assert result.returncode == pytest.ExitCode.NO_TESTS_COLLECTED, result.stdout + result.stderr


def test_ci_runs_every_test():
    """.ci/run is the README's test command: its pytest deselects nothing."""
    (command,) = [line for line in (REPO / ".ci" / "run").read_text("utf-8").splitlines()
                  if re.match(r"\s*python -m pytest\b", line)]
    assert not re.search(r"\s(-m|-k|--deselect|--ignore)\b", command.split("pytest", 1)[1]), command
