"""``xlsuite bundle``: the offline install folder resolves, and installs, with no network.

Tests never download: they build bundles from a wheelhouse that ``.ci/run`` fills before the
tests (every wheel of a win_amd64 bundle for Python 3.11–3.13 and of one for this machine, plus
the build requirements of xlsuite's own wheel), named by ``XLSUITE_WHEELHOUSE`` (default
``.ci/cache/wheelhouse``). Without it these tests fail, saying how to make it: they never skip.
pip runs with no configuration file, so nothing but the named folders can supply a package.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.tags import Tag
from packaging.utils import canonicalize_name, parse_wheel_filename

from xlsuite import __version__
from xlsuite.bundle import (
    ADDIN_FILE,
    DEFAULT_PYTHONS,
    NATIVE,
    REQUIREMENTS_FILE,
    WHEELS_DIR,
    WINDOWS_PLATFORM,
    build_bundle,
    pip_install_command,
    scripts,
)
from xlsuite.cli import main
from xlsuite.core.errors import InputError
from xlsuite.excel import udf_vba

ROOT = Path(__file__).resolve().parent.parent
WHEELHOUSE_ENV = "XLSUITE_WHEELHOUSE"


def wheelhouse() -> Path:
    folder = Path(os.environ.get(WHEELHOUSE_ENV) or ROOT / ".ci" / "cache" / "wheelhouse")
    if not folder.is_dir() or not any(folder.glob("*.whl")):
        pytest.fail(f"no wheelhouse at {folder}: run the install phase of .ci/run (it builds one with "
                    f"network), or point {WHEELHOUSE_ENV} at a folder of those wheels")
    return folder


def offline_env() -> dict[str, str]:
    """The environment without any pip setting or index, and without this checkout on the path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k != "PYTHONPATH"}
    return {**env, "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


@pytest.fixture(scope="module")
def offline():
    with pytest.MonkeyPatch.context() as mp:
        for key in [k for k in os.environ if k.startswith("PIP_")]:
            mp.delenv(key)
        mp.setenv("PIP_CONFIG_FILE", os.devnull)
        yield wheelhouse()


@pytest.fixture(scope="module")
def windows_bundle(offline, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bundle") / "xlsuite-安装包"
    build_bundle(folder, WINDOWS_PLATFORM, DEFAULT_PYTHONS, find_links=[offline], no_index=True)
    return folder


def _dry_run(bundle: Path, version: str, tmp_path: Path) -> dict[str, dict]:
    report = tmp_path / f"report-{version}.json"
    command = [*pip_install_command(bundle, sys.executable), "--dry-run", "--ignore-installed",
               "--only-binary=:all:", "--platform", WINDOWS_PLATFORM, "--python-version", version,
               "--implementation", "cp", "--target", str(tmp_path / "target"), "--report", str(report)]
    done = subprocess.run(command, capture_output=True, text=True, env=offline_env())
    assert done.returncode == 0, done.stderr
    return {canonicalize_name(item["metadata"]["name"]): item
            for item in json.loads(report.read_text("utf-8"))["install"]}


def _path(item: dict) -> Path:
    """The file a pip report's item comes from."""
    from urllib.parse import unquote, urlparse

    return Path(unquote(urlparse(item["download_info"]["url"]).path))


@pytest.mark.slow  # pip resolves a Windows bundle from the wheelhouse
@pytest.mark.parametrize("version", DEFAULT_PYTHONS)
def test_windows_bundle_resolves_offline_with_pywin32(windows_bundle, version, tmp_path):
    """What 安装.bat runs, for a 64-bit Windows Python: nothing missing, nothing from elsewhere."""
    install = _dry_run(windows_bundle, version, tmp_path)
    assert install["xlsuite"]["metadata"]["version"] == __version__
    assert install["xlwings"]["metadata"]["version"] == udf_vba.xlwings_vba_version()  # the .xlsm's VBA
    assert "pywin32" in install
    wheels = (windows_bundle / WHEELS_DIR).resolve()
    for name, item in install.items():
        assert _path(item).parent == wheels, name
    # ... and every wheel chosen is one for this Python on Windows
    tag = Tag(f"cp{version.replace('.', '')}", f"cp{version.replace('.', '')}", WINDOWS_PLATFORM)
    for name, item in install.items():
        tags = parse_wheel_filename(_path(item).name)[3]
        assert any(t.platform in ("any", WINDOWS_PLATFORM) for t in tags), name
        assert tag in tags or any(t.platform == "any" for t in tags), name


@pytest.mark.slow  # pip resolves a Windows bundle from the wheelhouse
@pytest.mark.parametrize("version", DEFAULT_PYTHONS)
def test_windows_bundle_has_every_requirement_a_windows_install_asks_for(windows_bundle, version):
    """pip on Linux judges markers for Linux; on Windows they are judged for Windows. Walk the
    requirements from xlsuite with Windows' markers: each must be in the bundle."""
    environment = {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt",
                   "platform_machine": "AMD64", "python_version": version,
                   "python_full_version": f"{version}.0", "implementation_name": "cpython",
                   "platform_python_implementation": "CPython", "extra": ""}
    abi = f"cp{version.replace('.', '')}"
    metadata = {}
    for wheel in (windows_bundle / WHEELS_DIR).glob("*.whl"):
        name, _, _, tags = parse_wheel_filename(wheel.name)
        if any(t.platform == "any" or (t.interpreter == abi and t.platform == WINDOWS_PLATFORM) for t in tags):
            with zipfile.ZipFile(wheel) as zf:
                meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
                metadata[name] = Parser().parsestr(zf.read(meta).decode("utf-8"))
    wanted, seen = ["xlsuite"], set()
    while wanted:
        name = canonicalize_name(wanted.pop())
        if name in seen:
            continue
        seen.add(name)
        assert name in metadata, f"{name} is needed on Windows, Python {version}, and is not in the bundle"
        for line in metadata[name].get_all("Requires-Dist") or ():
            requirement = Requirement(line)
            if requirement.marker is None or Marker(str(requirement.marker)).evaluate(environment):
                wanted.append(requirement.name)
    assert {"xlwings", "pywin32", "pandas", "numpy"} <= seen


@pytest.mark.slow  # builds a Windows bundle from the wheelhouse
def test_windows_bundle_holds_the_addin_and_scripts_windows_reads(windows_bundle):
    with zipfile.ZipFile(windows_bundle / ADDIN_FILE) as zf:
        assert "xl/vbaProject.bin" in zf.namelist()
    for name in (scripts.INSTALL_BAT, scripts.UNINSTALL_BAT):
        data = (windows_bundle / name).read_bytes()
        text = data.decode(scripts.BAT_ENCODING)  # cmd.exe reads a .bat in GBK on Chinese Windows
        assert data.count(b"\n") == data.count(b"\r\n") > 10
        assert text.startswith("@echo off") and "未找到可用的 Python" in text
        # the tools are run through the Python found, never from PATH (a user install's Scripts
        # folder is not on it), and nothing goes to the network
        assert "%PY% -m xlsuite addin" in text and "\nxlsuite " not in text
        assert "http" not in text
    install = (windows_bundle / scripts.INSTALL_BAT).read_bytes().decode(scripts.BAT_ENCODING)
    assert '%PY% -m pip install --disable-pip-version-check --no-index --find-links "%~dp0wheels" ' \
           '-r "%~dp0requirements.txt"' in install
    assert "addin install" in install.split("goto pipfailed", 1)[1]  # after a successful pip
    readme = (windows_bundle / scripts.README_FILE).read_bytes()
    assert readme.startswith(b"\xef\xbb\xbf") and "安装.bat" in readme.decode("utf-8-sig")
    requirements = (windows_bundle / REQUIREMENTS_FILE).read_text("utf-8").splitlines()
    assert requirements[1:] == [f"xlsuite=={__version__}", f"xlwings=={udf_vba.xlwings_vba_version()}", "pywin32"]


@pytest.mark.slow  # builds a Windows bundle from the wheelhouse
def test_the_wheel_carries_the_macro_sources(windows_bundle):
    wheel = next((windows_bundle / WHEELS_DIR).glob(f"xlsuite-{__version__}-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    shipped = [p for p in (ROOT / "macros").iterdir() if p.is_file()]
    shipped += [p for p in (ROOT / "macros" / "wps").iterdir() if p.suffix in (".html", ".js", ".xml")]
    assert {f"xlsuite/{p.relative_to(ROOT).as_posix()}" for p in shipped} <= names
    assert not any("node_modules" in n or "/test/" in n for n in names)  # the add-in's tests stay home
    assert not any("__pycache__" in n for n in names)


@pytest.mark.slow  # builds a bundle and installs it into a fresh venv
def test_bundle_for_this_machine_installs_offline_and_runs(offline, tmp_path):
    """The bundle's own install command, into a fresh venv, then xlsuite from that venv alone."""
    bundle = tmp_path / "bundle"
    build_bundle(bundle, NATIVE, find_links=[offline], no_index=True)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=offline_env())
    python = str(venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))
    env = offline_env()
    done = subprocess.run(pip_install_command(bundle, python), capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    work = tmp_path / "work"
    work.mkdir()
    where = subprocess.run([python, "-c", "import xlsuite; print(xlsuite.__file__)"], capture_output=True,
                           text=True, env=env, cwd=work, check=True).stdout
    assert Path(where.strip()).is_relative_to(venv)  # not this checkout
    demo = subprocess.run([python, "-m", "xlsuite", "demo", "county", "--workers", "1"], capture_output=True,
                          text=True, env=env, cwd=work)
    assert demo.returncode == 0, demo.stderr
    assert "演示县已生成" in demo.stdout and list((work / "county").glob("*.xlsx"))
    addin = subprocess.run([python, "-m", "xlsuite", "addin", "install", "--dir", str(work / "xlstart")],
                           capture_output=True, text=True, env=env, cwd=work)
    assert addin.returncode == 0, addin.stderr
    assert (work / "xlstart" / "xlsuite.xlam").is_file()


def _venv(folder: Path) -> str:
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, env=offline_env())
    return str(folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))


@pytest.mark.slow  # installs the wheel into a fresh venv and bundles from it
def test_bundle_works_from_a_wheel_install_as_the_readme_makes_it(offline, tmp_path):
    """The README's `pip install .` (a wheel install, no checkout beside it) builds the bundle,
    the bundle installs offline, `xlsuite demo` runs from that install, and that install can make
    the bundle again: the IT person's path as docs/excel-install.md writes it."""
    env = offline_env()
    work = tmp_path / "work"
    work.mkdir()
    first = _venv(tmp_path / "from-readme")
    done = subprocess.run([first, "-m", "pip", "install", "-q", "--find-links", str(offline), str(ROOT)],
                          capture_output=True, text=True, env=env, cwd=work)
    assert done.returncode == 0, done.stderr

    def bundle(python: str, name: str) -> Path:
        made = subprocess.run([python, "-m", "xlsuite", "bundle", "-o", name, "--platform", "native",
                               "--find-links", str(offline), "--no-index"],
                              capture_output=True, text=True, env=env, cwd=work)
        assert made.returncode == 0, made.stderr
        assert "不是 xlsuite 的源代码文件夹" not in made.stderr + made.stdout
        return work / name

    bundle_dir = bundle(first, "安装包")
    # the accountant's files are in it, where 安装说明.txt says
    templates = bundle_dir / scripts.TEMPLATES_DIR
    assert {"预算绩效自评模板.xlsx", "预算绩效自评模板.xlsm", "自评报告模板.docx"} <= {p.name for p in templates.iterdir()}
    assert list((templates / "samples").glob("*.xlsx"))
    assert f"“{scripts.TEMPLATES_DIR}”文件夹" in (bundle_dir / scripts.README_FILE).read_text("utf-8-sig")
    # the repacked wheel is a valid wheel: pip checks every file against its RECORD on install
    second = _venv(tmp_path / "from-bundle")
    done = subprocess.run(pip_install_command(bundle_dir, second), capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    demo = subprocess.run([second, "-m", "xlsuite", "demo", "county", "--workers", "1"], capture_output=True,
                          text=True, env=env, cwd=work)
    assert demo.returncode == 0, demo.stderr
    assert "演示县已生成" in demo.stdout
    # ... and the install from the bundle makes the bundle again
    again = bundle(second, "再次生成")
    assert sorted(p.name for p in (again / WHEELS_DIR).iterdir()) == \
        sorted(p.name for p in (bundle_dir / WHEELS_DIR).iterdir())


def test_a_changed_installed_file_is_not_packed_again(tmp_path, monkeypatch):
    """A bundle never spreads a local edit: an installed file that no longer matches its RECORD
    is refused by name."""
    import importlib.metadata

    from xlsuite.bundle import repack

    site = tmp_path / "site"
    (site / "xlsuite").mkdir(parents=True)
    info = site / f"xlsuite-{__version__}.dist-info"
    info.mkdir()
    (site / "xlsuite" / "__init__.py").write_text("x = 1\n")
    (info / "METADATA").write_text(f"Name: xlsuite\nVersion: {__version__}\n")
    (info / "WHEEL").write_text("Wheel-Version: 1.0\nTag: py3-none-any\n")
    good = repack._digest(b"x = 1\n")
    (info / "RECORD").write_text(f"xlsuite/__init__.py,{good},6\n{info.name}/METADATA,,\n{info.name}/WHEEL,,\n"
                                 f"{info.name}/RECORD,,\n")
    dist = importlib.metadata.PathDistribution(info)
    monkeypatch.setattr(importlib.metadata, "distribution", lambda name: dist)
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    wheel = repack.repack_installed(wheels)
    assert wheel.name == f"xlsuite-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as zf:
        assert zf.read("xlsuite/__init__.py") == b"x = 1\n"
        assert zf.read(f"{info.name}/RECORD").decode().startswith(f"xlsuite/__init__.py,{good},6")
    (site / "xlsuite" / "__init__.py").write_text("x = 2\n")
    with pytest.raises(InputError, match="安装后被改动过"):
        repack.repack_installed(wheels)


def test_bundle_refuses_an_occupied_output_folder(tmp_path, capsys):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("x")
    assert main(["bundle", "-o", str(tmp_path / "out"), "--no-index"]) == 2
    assert "不为空" in capsys.readouterr().err
    assert (tmp_path / "out" / "keep.txt").read_text() == "x"


@pytest.mark.parametrize("pythons", [["3.10"], ["3"], ["abc"]])
def test_bundle_refuses_python_versions_it_cannot_serve(tmp_path, pythons):
    with pytest.raises(InputError, match="Python 版本"):
        build_bundle(tmp_path / "out", WINDOWS_PLATFORM, pythons, no_index=True)
    assert not (tmp_path / "out").exists()


@pytest.mark.slow  # needs the wheelhouse (.ci/run builds it)
def test_a_failing_pip_leaves_no_bundle_and_says_why(tmp_path, offline):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="失败"):
        build_bundle(tmp_path / "out", WINDOWS_PLATFORM, ["3.12"], find_links=[empty], no_index=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]
