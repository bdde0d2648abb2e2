"""Scoring profiles: every parameter a province may set differently, read from a TOML file.

This module only knows the indicator hierarchy so far; the scoring engine adds its parameters.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import InputError


@dataclass(frozen=True)
class Level1:
    """A first-level indicator with its allowed second-level names and default weight."""

    name: str
    weight: int
    level2: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    name: str
    hierarchy: dict[str, tuple[Level1, ...]]
    """Evaluated kind (项目 or 部门整体) → its first-level indicators, in order."""

    def level1_names(self) -> list[str]:
        """Every first-level name of every kind, in first-seen order (for dropdowns)."""
        names: dict[str, None] = {}
        for levels in self.hierarchy.values():
            for level in levels:
                names.setdefault(level.name)
        return list(names)

    def level2_names(self, level1: str) -> list[str]:
        """Second-level names allowed under ``level1`` in any kind, in first-seen order."""
        names: dict[str, None] = {}
        for levels in self.hierarchy.values():
            for level in levels:
                if level.name == level1:
                    for name in level.level2:
                        names.setdefault(name)
        return list(names)


def default_profile_path() -> Path:
    return Path(str(resources.files("xlsuite").joinpath("profiles/national.toml")))


def load_profile(path: str | Path | None = None) -> Profile:
    """Read a profile file; ``None`` gives the national default."""
    path = Path(path) if path is not None else default_profile_path()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(path, f"无法读取评分方案文件：{exc}") from None
    hierarchy = {
        kind: tuple(Level1(item["level1"], int(item["weight"]), tuple(item["level2"]))
                    for item in levels)
        for kind, levels in data.get("hierarchy", {}).items()
    }
    return Profile(data.get("profile", {}).get("name", path.stem), hierarchy)
