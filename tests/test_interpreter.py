"""The Python the buttons and worksheet functions run, and the DLL xlwings loads for it.

xlwings' VBA (the module the .xlsm embeds) loads its DLL from the interpreter's folder or that
folder's parent; ``excel.interpreter`` states that rule once, and these tests hold it to the VBA
that ships, to the layouts pip makes on Windows, and to what ``xlsuite addin install`` writes.
"""

from __future__ import annotations

import locale
import re

import pytest

from xlsuite.bundle import scripts
from xlsuite.cli import main
from xlsuite.cli.addin import DLL_UNREACHABLE
from xlsuite.excel import interpreter, udf_vba
from xlsuite.excel.interpreter import Setting

VENV = r"C:\Users\张 三\AppData\Local\xlsuite\python"
ALL_USERS = r"C:\Program Files\Python311"


def test_the_loader_rule_is_xlwings_own():
    module = udf_vba.xlwings_module()
    loads = re.findall(r"LoadLibrary\((.+?) \+ \"\\\" \+ XLPyDLLName\)", module)
    assert loads == ["ParentFolder(PYTHON_WIN)", "ParentFolder(ParentFolder(PYTHON_WIN))"]
    assert re.search(r'XLPyDLLName As String = "(xlwings64-[\d.]+\.dll)"', module)[1] == interpreter.dll_name()
    assert interpreter.loader_folders(VENV + r"\Scripts\python.exe") == (VENV + r"\Scripts", VENV)


def test_a_venv_of_the_users_own_puts_the_dll_where_xlwings_looks():
    """pip's data folder of a venv is its root: the parent of Scripts\\python.exe."""
    setting = Setting(VENV + r"\Scripts\python.exe", VENV + "\\" + interpreter.dll_name())
    assert setting.dll_reachable
    assert "工作表函数使用的 xlwings 组件" in setting.report()


def test_a_per_user_fallback_under_an_all_users_python_is_named_with_what_to_do():
    dll = r"C:\Users\zhangsan\AppData\Roaming\Python" + "\\" + interpreter.dll_name()
    setting = Setting(ALL_USERS + r"\python.exe", dll)
    assert not setting.dll_reachable
    report = setting.report()
    assert r"C:\Users\zhangsan\AppData\Roaming\Python" in report and ALL_USERS in report
    assert "安装.bat" in report and "按钮不受影响" in report
    assert Setting(ALL_USERS + r"\python.exe", ALL_USERS + "\\" + interpreter.dll_name()).dll_reachable


def test_the_setting_keeps_the_users_other_xlwings_settings(tmp_path):
    config = tmp_path / ".xlwings" / "xlwings.conf"
    config.parent.mkdir()
    encoding = locale.getpreferredencoding(False)
    config.write_text('"INTERPRETER_WIN","C:\\old\\python.exe"\n"SHOW CONSOLE","True"\n', encoding)
    interpreter.write_interpreter(config, VENV + r"\Scripts\python.exe")
    lines = config.read_text(encoding).splitlines()
    assert lines == ['"SHOW CONSOLE","True"', f'"INTERPRETER_WIN","{VENV}\\Scripts\\python.exe"']
    assert not interpreter.forget_interpreter(config, r"C:\other\python.exe")
    assert interpreter.forget_interpreter(config, VENV + r"\Scripts\python.exe")
    assert config.read_text(encoding).splitlines() == ['"SHOW CONSOLE","True"']


def test_addin_install_on_windows_writes_the_interpreter_and_says_where_the_dll_is(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr("sys.platform", "win32")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData"))
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setattr(interpreter, "data_folders", lambda: [data])
    monkeypatch.setattr(interpreter, "this_python", lambda: str(tmp_path / "venv" / "Scripts" / "python.exe"))

    # no DLL where pip puts it: installed, but worksheet functions will not work, and it says so
    assert main(["addin", "install"]) == DLL_UNREACHABLE
    out = capsys.readouterr().out
    assert "加载项已安装" in out and "没有找到 xlwings 的" in out
    config = interpreter.user_config_file(tmp_path)
    assert f'"INTERPRETER_WIN","{tmp_path / "venv" / "Scripts" / "python.exe"}"' in config.read_text(
        locale.getpreferredencoding(False))

    # the DLL at the venv's root: found
    monkeypatch.setattr(interpreter, "data_folders", lambda: [tmp_path / "venv"])
    (tmp_path / "venv").mkdir()
    (tmp_path / "venv" / interpreter.dll_name()).write_bytes(b"MZ")
    assert main(["addin", "install"]) == 0
    assert "工作表函数使用的 xlwings 组件" in capsys.readouterr().out

    assert main(["addin", "remove"]) == 0
    assert "已从 xlwings 设置中删除本 Python" in capsys.readouterr().out
    assert "INTERPRETER_WIN" not in config.read_text(locale.getpreferredencoding(False))


@pytest.mark.parametrize("pythons", [("3.11", "3.12")])
def test_install_bat_installs_into_the_users_own_venv_and_reports_the_dll(pythons):
    bat = scripts.install_bat(pythons)
    venv_at = bat.index(f'%PY% -m venv "{scripts.OWN_PYTHON}"')
    switch = bat.index(f'set PY="{scripts.OWN_PYTHON}\\Scripts\\python.exe"')
    pip = bat.index("%PY% -m pip install")
    assert venv_at < switch < pip
    # errorlevel N means "N or more": the DLL warning (3) is told apart before any failure (1)
    assert bat.index("if errorlevel 3 goto udfwarning") < bat.index("if errorlevel 1 goto addinfailed",
                                                                      bat.index(":checked"))
    uninstall = scripts.uninstall_bat(pythons)
    assert f'rmdir /s /q "{scripts.OWN_PYTHON}"' in uninstall
    assert uninstall.index("set PY=") < uninstall.index("addin remove")
