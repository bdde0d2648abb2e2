"""A button pressed on Windows, executed: the command line xlwings builds, split as Windows splits
it, run by Python against a stand-in for the calling workbook.

For each entry point that ships (the .xlsm's buttons and the add-in's ribbon), the VBA is decoded
out of the built file; the statement ``RunAction`` hands to ``RunPython`` is evaluated from it;
xlwings' own ``RunPython`` / ``ExecuteWindows`` statements, decoded out of the ``xlwings.xlam``
that ``xlwings addin install`` copies, turn it into the ``cmd.exe /C`` line; ``cmd.exe`` and the
C runtime split that line (``windows_cmdline``); and the resulting ``python -B -c`` runs here, with
``xlwings.Book.caller()`` answered by a host-protocol book of the sample, for user names and
folders with spaces, quotes, ``&``, ``%``, ``^`` and Chinese. What cannot be run here is Excel
itself: ``WScript.Run`` and ``Book.caller()``'s COM lookup.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import xlwings
from conftest import SAMPLE
from test_macros import decoded_vba as decoded
from windows_cmdline import cmd_commands, crt_argv, procedure, vba_eval, vba_statement

from xlsuite.excel import addin, vba
from xlsuite.template.build import build_macro_template

pytestmark = pytest.mark.slow  # each button's command line run by a fresh Python, for every odd name

TESTS = Path(__file__).parent
XLWINGS_ADDIN = Path(xlwings.__file__).parent / "addin" / "xlwings.xlam"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> dict[str, str]:
    """The buttons module of each file that ships, and xlwings' Main module of its add-in."""
    folder = tmp_path_factory.mktemp("ship")
    xlsm = build_macro_template(folder)
    xlam = addin.build_addin(folder / addin.ADDIN_FILENAME)
    return {"xlsm": decoded(xlsm)[vba.BUTTONS_MODULE], "xlam": decoded(xlam)[vba.BUTTONS_MODULE],
            "xlwings": decoded(XLWINGS_ADDIN)["Main"]}


def _zh(codes: str) -> str:
    return "".join(chr(int(part, 16)) for part in codes.split())


def button_statement(buttons: str, action: str, this_workbook: dict) -> str:
    """What ``RunAction action`` passes to ``RunPython``, evaluated from the shipped VBA."""
    run_action = procedure(buttons, "RunAction")
    call = next(line for line in run_action if "Application.Run \"'xlwings.xlam'!RunPython\"," in line)
    argument = call.split("Application.Run \"'xlwings.xlam'!RunPython\",", 1)[1]

    def function(name):
        lines = procedure(buttons, name)
        params = [p.replace("ByVal", "").split()[0]
                  for p in lines[0].split("(", 1)[1].split(")", 1)[0].split(",") if p.strip()]

        def call_it(*args):
            if name == "PyEscape":  # a loop over characters: its rule, run by LibreOffice in test_vba_basic
                return "".join(c if ord(c) < 128 else f"\\u{ord(c):04x}" for c in args[0])
            names = {**dict(zip(params, args, strict=True)), **functions}
            for line in lines:  # one-line Ifs choosing a value
                branch = re.match(r"\s*If (\w+) Then (\w+) = (.+?) Else \2 = (.+)$", line)
                if branch:
                    names[branch[2]] = vba_eval(branch[3] if names[branch[1]] else branch[4], names)
            return vba_eval(vba_statement(lines, name), names)
        return call_it

    functions = {name: function(name) for name in re.findall(r"^(?:Public |Private )?Function (\w+)\(", buttons, re.M)}
    functions["Zh"] = _zh  # a loop over code points: its rule, run by LibreOffice in test_vba_basic
    this = {f"ThisWorkbook.{key}": value for key, value in this_workbook.items()}
    return vba_eval(argument, {"action": action, **this, **functions})


def xlwings_command_line(main: str, python_command: str, *, interpreter: str, active: str,
                         xlwings_addin: str, temp: str) -> str:
    """The string xlwings' ``ExecuteWindows`` hands to ``WScript.Run`` (Windows, not frozen, no
    conda, RunPython without the UDF server), evaluated from the shipped Main module."""
    run_python = procedure(main, "RunPython")
    execute = procedure(main, "ExecuteWindows")
    folder = interpreter.rsplit("\\", 1)[0]
    names: dict[str, object] = {
        "AddExcelDir": "true", "ActiveFullName": active, "ThisFullName": xlwings_addin,
        "GetConfig": lambda key, default="": "", "PYTHON_WIN": interpreter, "PythonDir": folder,
        "Left$": lambda s, n: s[:n], "CondaCmd": "", "PythonCommand": python_command,
        "TempDir": temp, "CreateGUID": lambda: "0F0E0D0C-0B0A-0908-0706-050403020100",
        "ActiveWorkbook.Name": active.rsplit("\\", 1)[1],
        "Application.Path": r"C:\Program Files\Microsoft Office\root\Office16",
        "Application.Name": "Microsoft Excel", "Application.Hwnd": "1312",
        "WindowStyle": 0, "WaitOnReturn": True, "WScript.Run": lambda line, *rest: line,
    }
    names["PYTHONPATH"] = vba_eval(vba_statement(run_python, "PYTHONPATH", "ONEDRIVE_CONSUMER_WIN"), names)
    names["PYTHONPATH"] = vba_eval(vba_statement(execute, "PYTHONPATH", '"^&"'), names)
    names["PYTHONPATH"] = vba_eval(vba_statement(execute, "PYTHONPATH", '"\\\\"'), names)
    names["DriveCommand"] = vba_eval(vba_statement(execute, "DriveCommand", "& cd"), names)
    names["PythonInterpreter"] = vba_eval(vba_statement(execute, "PythonInterpreter", "Chr(34) & PYTHON_WIN"), names)
    names["RunCommand"] = vba_eval(vba_statement(execute, "RunCommand", "-B -c"), names)
    names["LOG_FILE"] = vba_eval(vba_statement(execute, "LOG_FILE", ".log"), names)
    return vba_eval(vba_statement(execute, "ExitCode", "WScript.Run"), names)


STANDIN = textwrap.dedent('''
    # Stands in for Excel: xlwings.Book.caller() answers with a host-protocol book of the sample,
    # found by the --wb= argument as xlwings finds the calling book on Windows.
    import atexit, json, os, sys
    import xlwings

    spec = json.loads(os.environ["STANDIN_SPEC"])
    outcome = {}

    class _Workbooks:
        def __call__(self, name):
            if name != "xlsuite.xlam" or spec["addin_folder"] is None:
                raise KeyError(name)
            return type("Book", (), {"Path": spec["addin_folder"]})()

    class _Book:
        def __init__(self, book):
            self._book = book
            self.app = type("App", (), {"api": type("Api", (), {"Workbooks": _Workbooks()})(),
                                        "alert": book.app.alert})()
        def __getattr__(self, name):
            return getattr(self._book, name)

    def caller(cls=None):
        given = [a.split("=", 1)[1] for a in sys.argv if a.startswith("--wb=")]
        if given != [spec["book_name"]]:
            raise RuntimeError(f"no open workbook named {given}")
        sys.path.insert(0, spec["tests"])
        import host_books
        book = host_books.open_host_book(spec["sample"], spec["book_name"])
        outcome["book"] = book
        return _Book(book)

    xlwings.Book.caller = classmethod(caller)

    def _record_run():
        import xlsuite.excel.actions as actions
        original = actions.run
        def run(book, action, addin_dir=None):
            outcome["addin_dir"] = addin_dir
            return original(book, action, addin_dir)
        actions.run = run

    def _dump():
        book = outcome.pop("book", None)
        if book is not None:
            outcome["actions"] = [a["func"] for a in book.json()["actions"]]
            outcome["alerts"] = [a["args"][0] for a in book.json()["actions"] if a["func"] == "alert"]
        outcome["argv"] = list(sys.argv)
        with open(spec["outcome"], "w", encoding="utf-8") as f:
            json.dump(outcome, f, ensure_ascii=False)

    atexit.register(_dump)
    if spec.get("record_run"):
        _record_run()
''')


def run_as_windows_would(command_line: str, tmp_path: Path, *, book_name: str, addin_folder: str | None,
                         env_extra: dict | None = None, sample: Path = SAMPLE) -> tuple[subprocess.CompletedProcess, dict, list]:
    """Split ``command_line`` as cmd.exe and the C runtime would, run its python command here."""
    assert command_line.startswith("cmd.exe /C ")
    windows_env = {"USERNAME": "zhangsan", "TEMP": r"C:\Users\zhangsan\AppData\Local\Temp", "OS": "Windows_NT"}
    commands = cmd_commands(command_line[len("cmd.exe /C "):], windows_env)
    python = next(c for c in commands if " -B -c " in c["line"])
    argv = crt_argv(python["line"])
    site = tmp_path / "standin"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(STANDIN, "utf-8")
    outcome = tmp_path / "outcome.json"
    spec = {"book_name": book_name, "addin_folder": addin_folder, "sample": str(sample), "tests": str(TESTS),
            "outcome": str(outcome), "record_run": True}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *filter(None, [os.environ.get("PYTHONPATH")])]),
           "STANDIN_SPEC": json.dumps(spec), **(env_extra or {})}
    done = subprocess.run([sys.executable, *argv[1:]], env=env, capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)
    result = json.loads(outcome.read_text("utf-8")) if outcome.exists() else {}
    return done, result, commands


USERS = ["zhangsan", "zhang san", "O'Brien", "A&B", "50%off", "李%四%", "张 三", 'a^b']
# Not among them: a user name holding %NAME% of a defined variable (%USERNAME%), which cmd.exe
# expands inside xlwings' own quoted interpreter path, before anything of xlsuite runs.
BOOKS = ["部门 (1)&%20.xlsx", "O'Neil's 预算.xlsx", "100% 完成.xlsx", "永昌县工业和信息化局.xlsx"]


@pytest.mark.parametrize("entry", ["xlsm", "xlam"])
@pytest.mark.parametrize(("user", "book"), list(zip(USERS, BOOKS * 2, strict=True)))
def test_each_button_runs_its_action_from_the_command_line_windows_builds(shipped, tmp_path, entry, user, book):
    home = f"C:\\Users\\{user}"
    xlstart = f"{home}\\AppData\\Roaming\\Microsoft\\Excel\\XLSTART"
    documents = f"{home}\\Documents\\绩效 & 自评"
    if entry == "xlsm":
        book = "预算绩效自评模板 " + book.replace(".xlsx", ".xlsm")
        this = {"IsAddin": False, "Path": documents}
    else:
        this = {"IsAddin": True, "Path": xlstart}
    statement = button_statement(shipped[entry], "validate", this)
    line = xlwings_command_line(
        shipped["xlwings"], statement, interpreter=f"{home}\\AppData\\Local\\Programs\\Python\\Python311\\python.exe",
        active=f"{documents}\\{book}", xlwings_addin=f"{xlstart}\\xlwings.xlam", temp=f"{home}\\AppData\\Local\\Temp")
    addin_folder = str(tmp_path / "XLSTART") if entry == "xlam" else None
    done, outcome, commands = run_as_windows_would(line, tmp_path, book_name=book, addin_folder=addin_folder)

    assert done.returncode == 0, done.stderr
    # Python received the statement whole, and the workbook's name exactly (Book.caller finds it by it)
    assert outcome["argv"][0] == "-c"
    assert [a for a in outcome["argv"] if a.startswith("--wb=")] == [f"--wb={book}"]
    assert outcome["actions"].count("alert") == 1
    assert outcome["alerts"][0].startswith("校验完成：")
    # the folder of the buttons' workbook: the add-in's as Excel reports it; the .xlsm's own
    # (the JSON book has no folder on this machine: none)
    assert outcome["addin_dir"] == addin_folder
    # the other commands are the interpreter's drive and folder, nothing split off the statement
    python_dir = f"{home}\\AppData\\Local\\Programs\\Python\\Python311"
    assert [c["line"] for c in commands[:2]] == ["C:", f'cd "{python_dir}"']
    assert commands[2]["line"].startswith(f'"{python_dir}\\python.exe" -B -c ') and len(commands) == 3


@pytest.mark.parametrize("entry", ["xlsm", "xlam"])
def test_the_statement_carries_nothing_a_command_line_changes(shipped, entry):
    statement = button_statement(shipped[entry], "report", {"IsAddin": entry == "xlam", "Path": r"C:\Users\O'Brien & 张三\XLSTART"})
    assert statement.isascii()
    assert not set(statement) & set('"%^&|<>!\t\r\n')
    compile(statement, "<RunPython>", "exec")  # valid Python as it stands


def test_a_python_without_xlsuite_says_so_in_chinese(shipped, tmp_path):
    statement = button_statement(shipped["xlam"], "score", {"IsAddin": True, "Path": r"C:\Users\a\XLSTART"})
    empty = tmp_path / "empty-site"
    empty.mkdir()
    # -I: no user site, no PYTHONPATH: a Python where xlsuite is not installed
    done = subprocess.run([sys.executable, "-I", "-S", "-c", statement], capture_output=True, text=True,
                          timeout=60, cwd=empty, env={"PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 1
    assert done.stderr.strip() == "这个 Python 中没有安装 xlsuite，请重新运行离线安装包中的 安装.bat。"


def test_no_caller_ends_in_one_chinese_line_not_a_traceback(shipped, tmp_path):
    """xlwings cannot find the workbook (a name cmd.exe changed, a book never saved): the one
    line on stderr is what xlwings shows in its error box."""
    statement = button_statement(shipped["xlam"], "validate", {"IsAddin": True, "Path": r"C:\Users\a\XLSTART"})
    line = xlwings_command_line(shipped["xlwings"], statement, interpreter=r"C:\Python311\python.exe",
                                active=r"C:\Users\a\Documents\a%USERNAME%b.xlsx",
                                xlwings_addin=r"C:\Users\a\xlwings.xlam", temp=r"C:\Temp")
    done, outcome, _ = run_as_windows_would(line, tmp_path, book_name="a%USERNAME%b.xlsx", addin_folder=None,
                                            env_extra={"PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    (message,) = done.stderr.strip().splitlines()
    assert message.startswith("校验未完成：找不到按下按钮的工作簿") and "%" in message
