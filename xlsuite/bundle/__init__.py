"""``xlsuite bundle``: an offline install folder for the county's IT person to copy onto PCs.

A county PC is often offline and its user has no administrator rights, and xlsuite is on no
package index. The bundle holds everything ``pip`` needs to install xlsuite into the user's own
Python with ``--no-index``: the wheel of xlsuite built from this checkout and the wheels of every
dependency for the target platform and each Python version, the built add-in, and the scripts
that install and remove it (``scripts``). The folder::

    xlsuite-安装包/
        安装说明.txt        what to do, in Chinese
        安装.bat / 卸载.bat  install / remove for the user who runs them (no admin, no network)
        requirements.txt    what 安装.bat installs: xlsuite, xlwings pinned, pywin32 (Windows)
        xlsuite.xlam        the add-in, for whoever installs by hand
        模板/               the blank template (.xlsx, .xlsm), the report template and the sample
        wheels/             every wheel

xlsuite's own wheel is built from the checkout xlsuite runs from, or, for an install from a wheel
(``pip install .``, or a bundle's own 安装.bat), packed again from the installed files
(``repack``): ``xlsuite bundle`` works from any install but an editable one without its checkout.

Two things pip does not do by itself for another platform, so the bundle does:

- pip judges environment markers against the machine it runs on, not the ``--platform`` it
  downloads for: xlwings' ``pywin32; platform_system == "Windows"`` is silently left out of a
  download on Linux. A Windows bundle therefore names pywin32 itself, and so does its
  requirements.txt (the bundle is for Windows only, where the marker holds);
- the .xlsm embeds xlwings' VBA module, which loads the DLL of its own xlwings version only
  (``excel.udf_vba``): xlwings is pinned to that version.

``platform="native"`` makes a bundle for the machine and Python running the build (the tests
install from one). With ``find_links`` and ``no_index`` a bundle is made without network, from
wheels already at hand (a county's mirror, or CI's cache).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..core.errors import InputError

WINDOWS_PLATFORM = "win_amd64"
NATIVE = "native"
"""The platform of the machine running the build."""
DEFAULT_PYTHONS = ("3.11", "3.12", "3.13")
"""The Python versions a Windows bundle serves (xlsuite requires 3.11 or later)."""

WHEELS_DIR = "wheels"
REQUIREMENTS_FILE = "requirements.txt"
ADDIN_FILE = "xlsuite.xlam"

PYODIDE_DIR = "pyodide"
"""The county server's copy of Pyodide (``xlsuite serve --pyodide <bundle>/pyodide``)."""

SOURCE_PARTS = ("pyproject.toml", "setup.py", "README.md", "xlsuite", "macros")
"""What building xlsuite's wheel reads from the checkout (copied first, so the build's scratch
folders never land in the checkout)."""


@dataclass(frozen=True)
class Bundle:
    """A bundle written to ``folder``."""

    folder: Path
    platform: str
    pythons: tuple[str, ...]
    requirements: tuple[str, ...]
    wheels: tuple[str, ...]


def build_bundle(output: str | Path, platform: str = WINDOWS_PLATFORM,
                 pythons: Sequence[str] = DEFAULT_PYTHONS, *, source: str | Path | None = None,
                 find_links: Iterable[str | Path] = (), no_index: bool = False,
                 pyodide: str | Path | bool = False,
                 progress: Callable[[str], object] | None = None) -> Bundle:
    """Build the offline install folder ``output`` (which must not exist, or be empty).

    Args:
        output: the folder to create. It is assembled beside it and renamed into place, so an
            interrupted build leaves no half bundle under that name.
        platform: a pip platform tag (``win_amd64``, ``manylinux2014_x86_64`` …) or ``"native"``.
        pythons: Python versions (``"3.12"``) to download wheels for; for ``"native"`` only the
            running one is possible.
        source: the xlsuite checkout to build the wheel from (default: the one running, else the
            installed xlsuite packed again).
        find_links: folders of wheels pip may take packages from.
        no_index: take packages from ``find_links`` only: no network.
        pyodide: also put Pyodide into ``pyodide/`` for ``xlsuite serve --pyodide`` (the county
            server's bundle): True downloads the locked version, a path takes it from a folder
            holding the npm package or from its .tgz (``bundle.pyodide``).
        progress: called with a line of Chinese text at each step.

    Returns:
        What was written.

    Raises:
        InputError: no checkout, an output folder in the way, or pip failing (its last lines
            are in the message).
    """
    from ..excel import addin, udf_vba
    from . import scripts

    say = progress or (lambda line: None)
    output = Path(output)
    pythons = _pythons(platform, pythons)
    tree = _source_tree(source)
    _check_output(output)
    index = [*(a for folder in find_links for a in ("--find-links", str(folder))), *(["--no-index"] if no_index else [])]
    parent = output.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".partial", dir=parent))
    try:
        wheels = work / WHEELS_DIR
        wheels.mkdir()
        if tree is not None:
            say(f"正在用 {tree} 构建 xlsuite {__version__} 的安装文件……")
            own = _build_own_wheel(tree, wheels, index)
        else:
            from .repack import repack_installed

            say(f"正在用本机已安装的 xlsuite {__version__} 生成安装文件……")
            own = repack_installed(wheels)
        requirements = [f"xlsuite=={__version__}", f"xlwings=={udf_vba.xlwings_vba_version()}"]
        if platform.startswith("win"):
            requirements.append("pywin32")
        for version in pythons:
            say(f"正在下载 Python {version}（{platform}）所需的全部依赖……")
            _download(wheels, [str(own), *requirements[1:]], _target(platform, version), index)
        (work / REQUIREMENTS_FILE).write_text(scripts.requirements_text(requirements), "utf-8")
        addin.build_addin(work / ADDIN_FILE)
        _write_templates(work / scripts.TEMPLATES_DIR)
        if pyodide:
            from .pyodide import PYODIDE_VERSION, add_pyodide

            say(f"正在加入 Pyodide {PYODIDE_VERSION}（WPS 加载项网页内的 Python）……")
            add_pyodide(work / PYODIDE_DIR, None if pyodide is True else pyodide)
        scripts.write_scripts(work, pythons)
        _publish(work, output)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    names = tuple(sorted(p.name for p in (output / WHEELS_DIR).iterdir()))
    say(f"安装包已生成：{output}（{len(names)} 个安装文件）")
    return Bundle(output, platform, pythons, tuple(requirements), names)


def pip_install_command(bundle: str | Path, python: str = "python") -> list[str]:
    """The command 安装.bat runs, for ``python``: offline, from the bundle's own wheels."""
    bundle = Path(bundle)
    return [python, "-m", "pip", "install", "--no-index", "--find-links", str(bundle / WHEELS_DIR),
            "-r", str(bundle / REQUIREMENTS_FILE)]


# --- steps --------------------------------------------------------------------------------------


def _pythons(platform: str, pythons: Sequence[str]) -> tuple[str, ...]:
    running = f"{sys.version_info[0]}.{sys.version_info[1]}"
    if platform == NATIVE:
        if pythons and tuple(pythons) not in ((running,), DEFAULT_PYTHONS):
            raise InputError(None, f"--platform native 只能为正在运行的 Python {running} 生成安装包")
        return (running,)
    if not pythons:
        raise InputError(None, "请至少指定一个 Python 版本（如 --python 3.12）")
    for version in pythons:
        parts = version.split(".")
        if len(parts) != 2 or not all(p.isdigit() for p in parts) or (int(parts[0]), int(parts[1])) < (3, 11):
            raise InputError(None, f"Python 版本“{version}”不可用：应写成 3.11、3.12 这样，且不低于 3.11")
    return tuple(dict.fromkeys(pythons))


def _target(platform: str, version: str) -> list[str]:
    if platform == NATIVE:
        return []
    return ["--only-binary=:all:", "--platform", platform, "--python-version", version,
            "--implementation", "cp"]


def _source_tree(source: str | Path | None) -> Path | None:
    """The checkout to build from: ``source``, else the one xlsuite runs from, else None (an
    install from a wheel, packed again)."""
    if source is None:
        running = Path(__file__).resolve().parents[2]
        return running if all((running / part).exists() for part in SOURCE_PARTS) else None
    tree = Path(source)
    missing = [part for part in SOURCE_PARTS if not (tree / part).exists()]
    if missing:
        raise InputError(tree, "不是 xlsuite 的源代码文件夹（缺少 " + "、".join(missing) + "）："
                               "xlsuite bundle 要从源代码构建 xlsuite 的安装文件")
    return tree


def _write_templates(folder: Path) -> None:
    from ..report import build_report_template
    from ..template.build import build_macro_template, build_template
    from ..template.sample import build_samples

    # the blank templates and the sample, for the accountant (安装说明.txt says where they are)
    folder.mkdir()
    build_template(folder)
    build_macro_template(folder)
    build_report_template(folder)
    build_samples(folder)


def _check_output(output: Path) -> None:
    if output.is_dir() and any(output.iterdir()):
        raise InputError(output, "输出文件夹已存在且不为空：请换一个文件夹名，或先删除它")
    if output.exists() and not output.is_dir():
        raise InputError(output, "已有同名文件，无法作为输出文件夹")


def _build_own_wheel(tree: Path, wheels: Path, index: list[str]) -> Path:
    with tempfile.TemporaryDirectory(prefix="xlsuite-src-") as scratch:
        copy = Path(scratch) / "xlsuite"
        copy.mkdir()
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        for part in SOURCE_PARTS:
            if (tree / part).is_dir():
                shutil.copytree(tree / part, copy / part, ignore=ignore)
            else:
                shutil.copy2(tree / part, copy / part)
        _pip(["wheel", "--no-deps", "--wheel-dir", str(wheels), *index, str(copy)], "构建 xlsuite 安装文件")
    built = sorted(wheels.glob(f"xlsuite-{__version__}-*.whl"))
    if not built:
        raise InputError(wheels, "pip 没有生成 xlsuite 的安装文件")
    return built[-1]


def _download(wheels: Path, requirements: list[str], target: list[str], index: list[str]) -> None:
    _pip(["download", "--dest", str(wheels), *target, *index, *requirements], "下载依赖")


def _pip(arguments: list[str], what: str) -> None:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", *arguments]
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace",
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-8:])
        raise InputError(None, f"{what}失败（pip 退出码 {done.returncode}）：\n{tail}")


def _publish(work: Path, output: Path) -> None:
    # The folder was made by mkdtemp (0700): give it the mode a new folder gets under the
    # user's umask, as colleagues on a shared drive must be able to read the bundle.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(work, 0o777 & ~umask)
    if output.is_dir():
        output.rmdir()  # empty, as _check_output found it
    os.replace(work, output)
