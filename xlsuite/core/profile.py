"""Scoring profiles: every parameter a province may set differently, read from a TOML file.

A profile holds the indicator hierarchy per evaluated kind (项目, 部门整体) and every scoring
parameter: the execution-rate method, the ``≤`` formula, the ``=`` tolerance, the
overachievement threshold and deduction, the qualitative bands, the grade thresholds and the
rounding. The national default ships as ``profiles/national.toml``; a province copies it and
changes values, never code. This is the only core module that reads a file.

Which profile a book is scored with is decided in one place, ``resolve_profile``: the profile
the caller was told to use (``--profile``, the add-in's setting), else the profile the book's
template was built for (its TOML text is recorded in the hidden meta sheet), else the national
default. Every entry point (CLI, API, county workers, Excel buttons and UDFs) goes through it.
"""

from __future__ import annotations

import decimal
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property, lru_cache
from importlib import resources
from pathlib import Path

from . import contract as c
from .errors import ContractError, InputError, os_reason, toml_reason

EXECUTION_METHODS = ("capped", "linear", "banded")
EXECUTION_DENOMINATORS = ("adjusted", "initial")
"""预算执行率 = 全年执行数 / 全年预算数 (``adjusted``, national) or / 年初预算数 (``initial``)."""
LE_FORMULAS = ("ratio", "linear")
PROJECT_KIND = "项目"
"""The evaluated kind of projects, as the hierarchy names it (the other is 部门整体)."""
CATEGORY_SEPARATOR = ":"
"""``[[hierarchy."项目:工程类"]]`` gives projects whose 项目类别 is 工程类 their own first-level
indicators and weights; other projects use ``[[hierarchy."项目"]]``."""
QUANT_METHODS = ("proportional", "banded")
"""A quantitative indicator short of its target: paid in proportion, or by bands of completion."""


@dataclass(frozen=True)
class Level1:
    """A first-level indicator with its allowed second-level names and default weight."""

    name: str
    weight: int
    level2: tuple[str, ...]


@dataclass(frozen=True)
class Band:
    """A share of the weight: ``low`` inclusive, ``high`` exclusive unless it is 1 (full marks)."""

    low: Decimal
    high: Decimal
    share: Decimal | None = None
    """A fixed share of the weight the grade earns (``None``: the evaluator's score, checked to
    lie in the band, as the national rules have it)."""

    def contains(self, share: Decimal) -> bool:
        if self.high >= 1:
            return self.low <= share <= self.high
        return self.low <= share < self.high


@dataclass(frozen=True)
class ExecutionRule:
    """How 预算执行率 (全年执行数 / 全年预算数) becomes a score.

    ``capped``: min(rate, 1) × weight. ``linear``: every point away from 100% costs, above as
    well as below, so (1 − |rate − 1|) × weight, at least 0. ``banded``: the share of the
    weight of the highest band whose lower rate the rate reaches (``bands``, highest first).
    """

    weight: Decimal = Decimal(10)
    method: str = "capped"
    bands: tuple[tuple[Decimal, Decimal], ...] = ()
    """(lowest rate, share of weight) pairs, highest rate first; used by ``banded``."""
    denominator: str = "adjusted"
    """The amount the rate divides by: ``adjusted`` 全年预算数 or ``initial`` 年初预算数."""
    scale_indicators: bool = False
    """Whether each subject's indicator scores are scaled so that their weights, whatever they add
    up to, count for the 100 − ``weight`` points left (a 20-point execution rate beside indicators
    printed as 90 points scores them × 80/90). Off: the weights must add up to 100 − ``weight``."""


@dataclass(frozen=True)
class ScoringRules:
    """Every scoring parameter besides the hierarchy; defaults are the national ones."""

    execution: ExecutionRule = field(default_factory=ExecutionRule)
    le_formula: str = "ratio"
    """``ratio``: target/actual × weight; ``linear``: (1 − (actual − target)/target) × weight."""
    eq_tolerance: Decimal = Decimal(0)
    """Relative: an ``=`` indicator is met when |actual − target| ≤ tolerance × |target|."""
    overachievement: Decimal = Decimal("1.2")
    """A ``≥`` indicator above target × this gets a warning that the target may be too low."""
    overachievement_deduction: Decimal = Decimal(0)
    """Share of the weight taken off such an indicator (0: warning only)."""
    quant_method: str = "proportional"
    """``proportional``: short of target pays the completion share; ``banded``: the share of
    the highest of ``quant_bands`` the completion share reaches (stepped scoring)."""
    quant_bands: tuple[tuple[Decimal, Decimal], ...] = ()
    """(lowest completion share, share of weight) pairs, highest first; used by ``banded``."""
    qualitative: dict[str, Band] = field(default_factory=lambda: {
        "达成": Band(Decimal("0.8"), Decimal(1)),
        "部分达成": Band(Decimal("0.6"), Decimal("0.8")),
        "未达成": Band(Decimal(0), Decimal("0.6")),
    })
    grades: tuple[tuple[Decimal, str], ...] = (
        (Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"), (Decimal(0), "差"))
    """(lowest total, grade) pairs, highest first."""
    places: int = 2
    rounding: str = decimal.ROUND_HALF_UP
    item_places: int | None = None
    """Decimals each item's score (an indicator, the execution rate) is rounded to before adding
    (0: whole points); ``None``: ``places``."""
    fixed_level1_weights: bool = True
    """Whether the hierarchy's first-level weights are the split every subject should use (a
    warning otherwise); ``False`` for provinces that fix no split."""


FORM_INDICATOR_COLUMNS = ("nature", "unit", "direction", "method")
"""Columns a province's forms may print in the indicator block beside the national ones: the
绩效指标 columns 指标性质, 计量单位 and 方向, and 得分计算方法 (from the profile's rules)."""
FORM_RATE_ROWS = ("all", "total", "none")
"""Which money rows print their 执行率: every row (national), the total only, or none (the
province leaves the cells for the evaluator)."""


@dataclass(frozen=True)
class FormLayout:
    """What a province's official forms print differently from the national layout (``[forms]``).

    Attributes:
        indicator_columns: keys of ``FORM_INDICATOR_COLUMNS`` the indicator block prints as
            columns of their own, in order; with ``unit`` there, 年度指标值 and 实际完成值 print
            without it.
        level1_points: each 一级指标 label carries the points of its block: 产出指标（50分）.
        conclusions: each form ends with 评价结论, 存在问题 and 改进措施 rows, from the 问题与措施
            rows of its 评价对象.
        headers: (national wording, the province's) pairs: 全年预算数 → 调整后预算数, 分值 → 权重,
            绩效指标 → 年度绩效目标.
        block_points: the indicator block's heading carries its points: 绩效指标（90分）.
        weight_column: the indicator block prints each indicator's 分值 (some provinces print the
            points only in the headings).
        rates: which money rows print their 执行率 (``FORM_RATE_ROWS``).
        fund_rows: (evaluated kind, money row names) for a kind whose rows the province picks,
            orders or leaves out (names as in ``contract.PROJECT_FORM_FUNDS`` and ``DEPARTMENT_FORM_FUNDS``).
        fund_labels: (national row name, the province's) pairs: 当年财政拨款 → 财政资金.
        methods: (direction, 得分计算方法 text) pairs, worded from the profile's rules.
        empty_level2: the mark (``/``) a form prints in the row of every 二级指标 of the
            hierarchy that has no indicator, as official forms list them all; "" prints only the
            二级指标 that have indicators.
        hierarchy: (hierarchy key, ((一级指标, its 二级指标), ...)) of the profile, for
            ``empty_level2``.
    """

    indicator_columns: tuple[str, ...] = ()
    level1_points: bool = False
    conclusions: bool = False
    headers: tuple[tuple[str, str], ...] = ()
    block_points: bool = False
    weight_column: bool = True
    rates: str = "all"
    fund_rows: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fund_labels: tuple[tuple[str, str], ...] = ()
    methods: tuple[tuple[str, str], ...] = ()
    empty_level2: str = ""
    hierarchy: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = ()

    def word(self, national: str) -> str:
        """The province's wording of a national heading (the heading itself if not re-worded)."""
        return dict(self.headers).get(national, national)

    def fund_label(self, row: str) -> str:
        return dict(self.fund_labels).get(row, row)

    def funds(self, kind: str, national: tuple[str, ...]) -> tuple[str, ...]:
        """The money rows a ``kind``'s form prints, in order; ``national`` when the profile
        does not pick them."""
        return dict(self.fund_rows).get(kind, national)

    def method(self, direction: str) -> str:
        return dict(self.methods).get(direction, "")

    def levels(self, kind: str, category: str = "") -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(一级指标, its 二级指标) of a subject's hierarchy (``Profile.levels``'s choice)."""
        by_key = dict(self.hierarchy)
        return by_key.get(hierarchy_key(by_key, kind, category), ())


@dataclass(frozen=True)
class Profile:
    name: str
    hierarchy: dict[str, tuple[Level1, ...]]
    """Evaluated kind (项目 or 部门整体) → its first-level indicators, in order."""
    rules: ScoringRules = field(default_factory=ScoringRules)
    forms: FormLayout = field(default_factory=FormLayout)
    extra_sources: tuple[str, ...] = ()
    """Fund sources 项目支出 has beyond 本年财政拨款 / 上年结转 / 其他资金 (``[funds]
    extra_sources``, e.g. 财政专户管理资金, 单位资金): columns of their own in the template, added
    up with the others to the project's 合计, and rows of their own on the form."""
    source: str = field(default="", compare=False, repr=False)
    """The TOML text the profile was read from: what a template records so the book carries
    the rules it was built for."""

    @property
    def project_sheet(self) -> c.TableSheet:
        """项目支出 as this profile's template lays it out (its ``extra_sources`` after 其他资金)."""
        return c.project_sheet(self.extra_sources)

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

    def categories(self, kind: str = PROJECT_KIND) -> list[str]:
        """The 项目类别 that have their own first-level indicators (``[[hierarchy."项目:工程类"]]``),
        in the file's order: the template's 项目类别 dropdown."""
        prefix = f"{kind}{CATEGORY_SEPARATOR}"
        return [key[len(prefix):] for key in self.hierarchy if key.startswith(prefix)]

    def levels(self, kind: str, category: str = "") -> tuple[Level1, ...]:
        """The first-level indicators of one evaluated kind (项目 or 部门整体); for a project of
        ``category`` (项目类别), those of ``项目:category`` when the profile sets them."""
        return self.hierarchy.get(self._kind(kind, category), ())

    def levels_by_name(self, kind: str, category: str = "") -> dict[str, Level1]:
        """``levels(kind, category)`` by name, in the same order (do not change the dict: it is
        shared)."""
        return self._levels_by_name.get(self._kind(kind, category), {})

    def _kind(self, kind: str, category: str) -> str:
        return hierarchy_key(self.hierarchy, kind, category)

    @cached_property
    def _levels_by_name(self) -> dict[str, dict[str, Level1]]:
        # Made once per profile, not once per indicator of every book checked against it. A
        # cached_property writes to the instance's __dict__, which a frozen dataclass allows.
        return {kind: {level.name: level for level in levels} for kind, levels in self.hierarchy.items()}


def as_profile(profile: str | Path | Profile | None) -> Profile | None:
    """The ``Profile`` a use case's ``profile`` argument names. Every use case (validate, score,
    consolidate, report) takes a loaded ``Profile``, the path of a TOML file, or ``None`` for the
    one each book records (else national); ``None`` stays ``None``.

    Raises:
        InputError: the file cannot be read or is no profile.
    """
    if profile is None or isinstance(profile, Profile):
        return profile
    return load_profile(profile)


def hierarchy_key(hierarchy, kind: str, category: str) -> str:
    """The key of ``hierarchy`` a subject's indicators follow: ``项目:category`` when the profile
    sets that 项目类别's own, else its kind."""
    if category:
        own = f"{kind}{CATEGORY_SEPARATOR}{category}"
        if own in hierarchy:
            return own
    return kind


def default_profile_path() -> Path:
    return Path(str(resources.files("xlsuite").joinpath("profiles/national.toml")))


def load_profile(path: str | Path | None = None) -> Profile:
    """Read a profile file; ``None`` gives the national default.

    Raises:
        InputError: the file cannot be read, or a parameter has a value no method knows.
    """
    if path is None:
        return national_profile()
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, "无法读取评分方案文件：" + (os_reason(exc) if isinstance(exc, OSError) else "不是 UTF-8 编码的文本")) from None
    return parse_profile(text, path, path.stem)


@cache
def national_profile() -> Profile:
    """The national default (财预〔2020〕10号), read once per process."""
    path = default_profile_path()
    return parse_profile(path.read_text("utf-8"), path, path.stem)


def parse_profile(text: str, origin=None, default_name: str = "评分方案") -> Profile:
    """A profile from its TOML text; ``origin`` (a path, or ``None``) names it in errors.

    Raises:
        InputError: the text is no TOML, or a parameter has a value no method knows.
    """
    try:
        # Decimals straight from the text: a threshold of 0.8 must be exactly 0.8.
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(origin, f"无法读取评分方案文件：{toml_reason(exc)}") from None
    try:
        hierarchy = {
            kind: tuple(Level1(item["level1"], int(item["weight"]), tuple(item["level2"]))
                        for item in levels)
            for kind, levels in data.get("hierarchy", {}).items()
        }
        rules = _rules(data)
        extra_sources = _extra_sources(data.get("funds", {}).get("extra_sources", ()))
        forms = _forms(data.get("forms", {}), rules, extra_sources, hierarchy)
        name = str(data.get("profile", {}).get("name", default_name))
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
        raise InputError(origin, f"评分方案文件内容有误：{_content_reason(exc)}") from None
    return Profile(name, hierarchy, rules, forms, extra_sources, text)


def _content_reason(exc: Exception) -> str:
    """What is wrong in a profile's content, in Chinese (this module's own ValueErrors are)."""
    if isinstance(exc, KeyError):
        return f"缺少“{exc.args[0] if exc.args else ''}”项"
    if isinstance(exc, ValueError) and any("\u4e00" <= ch <= "\u9fff" for ch in str(exc)):
        return str(exc)
    if isinstance(exc, ArithmeticError):
        return "某项的数值无效"
    return "某项的值类型或取值不正确"


@lru_cache(maxsize=16)
def _recorded(text: str) -> Profile:
    # A county's books all record the same few profiles: parse each text once per process.
    return parse_profile(text)


def resolve_profile(book, chosen: Profile | None = None) -> Profile:
    """The profile ``book`` is scored and checked with: ``chosen`` when given (the county's or
    the user's setting), else the one recorded in the book (``book.profile_source``), else the
    national default.

    Raises:
        ContractError: the profile recorded in the book cannot be read (the book names the file).
    """
    if chosen is not None:
        return chosen
    return recorded_profile(book.profile_source, book.source or None)


def recorded_profile(text: str, origin=None) -> Profile:
    """The profile whose TOML text a book's meta sheet records; the national one for none.

    Raises:
        ContractError: the recorded text is no usable profile (``origin`` names the book).
    """
    if not text:
        return national_profile()
    try:
        return _recorded(text)
    except InputError as exc:
        raise ContractError(origin, f"工作簿记录的评分方案无法使用（{exc.reason}）；"
                                    "请改用 --profile 指定评分方案") from None


def _dec(value) -> Decimal:
    return Decimal(str(value))


def _choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"{what}“{value}”无效，应为 {' / '.join(allowed)} 之一")
    return value


def _rules(data: dict) -> ScoringRules:
    """Scoring parameters; a missing table or key keeps the national default."""
    default = ScoringRules()
    ex = data.get("execution", {})
    execution = ExecutionRule(
        weight=_dec(ex.get("weight", default.execution.weight)),
        method=_choice(ex.get("method", default.execution.method), EXECUTION_METHODS, "预算执行率计分方法"),
        bands=_bands(ex.get("bands", ())),
        denominator=_choice(ex.get("denominator", default.execution.denominator), EXECUTION_DENOMINATORS,
                            "预算执行率分母"),
        scale_indicators=_flag(ex.get("scale_indicators", default.execution.scale_indicators),
                               "scale_indicators"),
    )
    if execution.method == "banded" and not execution.bands:
        raise ValueError("预算执行率计分方法为 banded 时须给出 bands")
    q = data.get("quantitative", {})
    quant_method = _choice(q.get("method", default.quant_method), QUANT_METHODS, "定量指标计分方法")
    quant_bands = _bands(q.get("bands", ()))
    if quant_method == "banded" and not quant_bands:
        raise ValueError("定量指标计分方法为 banded 时须给出 bands")
    qualitative = default.qualitative
    if "qualitative" in data:
        qualitative = {item["grade"]: Band(_dec(item["low"]), _dec(item["high"]),
                                           _dec(item["share"]) if "share" in item else None)
                       for item in data["qualitative"]}
    grades = default.grades
    if "grades" in data:
        grades = tuple(sorted(((_dec(g["min"]), g["grade"]) for g in data["grades"]), reverse=True))
    rounding = data.get("rounding", {})
    mode = rounding.get("mode", default.rounding)
    if not (mode.startswith("ROUND_") and hasattr(decimal, mode)):
        raise ValueError(f"舍入方式“{mode}”无效")
    item_places = rounding.get("item_places")
    return ScoringRules(
        execution=execution,
        le_formula=_choice(q.get("le_formula", default.le_formula), LE_FORMULAS, "“≤”指标计分公式"),
        eq_tolerance=_dec(q.get("eq_tolerance", default.eq_tolerance)),
        overachievement=_dec(q.get("overachievement", default.overachievement)),
        overachievement_deduction=_dec(q.get("overachievement_deduction",
                                             default.overachievement_deduction)),
        qualitative=qualitative,
        grades=grades,
        places=int(rounding.get("places", default.places)),
        rounding=getattr(decimal, mode),
        quant_method=quant_method,
        quant_bands=quant_bands,
        item_places=None if item_places is None else int(item_places),
        fixed_level1_weights=_flag(data.get("level1_weights", {}).get("fixed", True), "level1_weights.fixed"),
    )


def form_words() -> tuple[str, ...]:
    """Every heading of the official forms a profile may re-word (``[forms.headers]``)."""
    indicator = c.INDICATOR_SHEET_DEF
    columns = ("level1", "level2", "level3", "target", "actual", "weight", "score", "deviation",
               "nature", "unit", "direction")
    return (*(col.header for col in c.AMOUNT_COLUMNS), c.FORM_EXECUTION_RATE,
            *(indicator.column(key).header for key in columns), c.FORM_INDICATOR_BLOCK, c.FORM_METHOD,
            c.FORM_TOTAL, c.FORM_GRADE, *c.FORM_GOAL_HEADINGS)


def _forms(data: dict, rules: ScoringRules, extra_sources: tuple[str, ...],
           hierarchy: dict[str, tuple[Level1, ...]]) -> FormLayout:
    """The ``[forms]`` table; columns and rows are named as users see them on the forms."""
    by_header = {c.INDICATOR_SHEET_DEF.column(key).header: key for key in FORM_INDICATOR_COLUMNS
                 if key != "method"} | {c.FORM_METHOD: "method"}
    columns = []
    for header in _texts(data.get("indicator_columns", ()), "forms.indicator_columns"):
        if header not in by_header:
            raise ValueError(f"自评表指标列“{header}”无效，应为 {' / '.join(by_header)} 之一")
        columns.append(by_header[header])
    headers = _renames(data.get("headers", {}), form_words(), "自评表列名")
    fund_rows = []
    project_rows = (*c.PROJECT_FORM_FUNDS, *extra_sources)
    for kind, key, known in ((PROJECT_KIND, "project_funds", project_rows),
                             (c.WHOLE_DEPARTMENT, "department_funds", c.DEPARTMENT_FORM_FUNDS)):
        if key not in data:
            continue
        rows = tuple(dict.fromkeys(_texts(data[key], f"forms.{key}")))
        for row in rows:
            if row not in known:
                raise ValueError(f"{kind}自评表资金行“{row}”无效，应为 {' / '.join(known)} 之一")
        if c.FORM_TOTAL_ROW not in rows:
            raise ValueError(f"{kind}自评表资金行须含“{c.FORM_TOTAL_ROW}”：预算执行率的分值和得分印在这一行")
        fund_rows.append((kind, rows))
    fund_labels = _renames(data.get("fund_labels", {}), tuple(dict.fromkeys((*project_rows, *c.DEPARTMENT_FORM_FUNDS))),
                           "自评表资金行")
    rates = str(data.get("rates", "all"))
    if rates not in FORM_RATE_ROWS:
        raise ValueError(f"“forms.rates”应为 {' / '.join(FORM_RATE_ROWS)} 之一")
    empty_level2 = data.get("empty_level2", "")
    if not isinstance(empty_level2, str) or len(empty_level2) > 4:
        raise ValueError("“forms.empty_level2”应为表上标记空二级指标的符号，如 \"/\"（至多 4 个字）")
    return FormLayout(tuple(dict.fromkeys(columns)),
                      _flag(data.get("level1_points", False), "forms.level1_points"),
                      _flag(data.get("conclusions", False), "forms.conclusions"),
                      headers,
                      _flag(data.get("block_points", False), "forms.block_points"),
                      _flag(data.get("weight_column", True), "forms.weight_column"),
                      rates, tuple(fund_rows), fund_labels,
                      _methods(rules, dict(headers).get("分值", "分值")), empty_level2.strip(),
                      tuple((key, tuple((level.name, level.level2) for level in levels))
                            for key, levels in hierarchy.items()))


def _texts(items, what: str) -> tuple[str, ...]:
    if not isinstance(items, list | tuple) or not all(isinstance(x, str) and x.strip() for x in items):
        raise ValueError(f"“{what}”应为非空文字的列表")
    return tuple(x.strip() for x in items)


def _renames(table, known: tuple[str, ...], what: str) -> tuple[tuple[str, str], ...]:
    """(national wording, the province's) pairs of a ``[forms]`` rename table."""
    if not isinstance(table, dict):
        raise ValueError(f"{what}的改名表应为“原名 = 新名”")
    out = []
    for national, printed in table.items():
        if national not in known:
            raise ValueError(f"{what}“{national}”无效，应为 {' / '.join(known)} 之一")
        if not isinstance(printed, str) or not printed.strip():
            raise ValueError(f"{what}“{national}”的新名称应为非空文字")
        out.append((national, printed.strip()))
    return tuple(out)


def _methods(rules: ScoringRules, weight: str) -> tuple[tuple[str, str], ...]:
    """How each kind of indicator is scored under ``rules``, as a form's 得分计算方法 cell says it
    (``weight``: the form's word for 分值)."""
    grades = "、".join(rules.qualitative)
    if rules.quant_method == "banded":
        banded = f"按完成比例分档计{weight}"
        return ((c.AT_LEAST, banded), (c.AT_MOST, banded), (c.EQUAL, banded),
                (c.QUALITATIVE, f"按{grades}分档计分"))
    at_most = (f"目标值÷实际值×{weight}，不超过目标得满分" if rules.le_formula == "ratio"
               else f"（1－超出目标的比例）×{weight}，不超过目标得满分")
    return ((c.AT_LEAST, f"实际值÷目标值×{weight}，达到目标得满分"),
            (c.AT_MOST, at_most),
            (c.EQUAL, "等于目标值得满分，不足按“≥”、超出按“≤”计分"),
            (c.QUALITATIVE, f"按{grades}分档计分"))


def _extra_sources(labels) -> tuple[str, ...]:
    """Fund source names, each a header's part in 全年预算数（名称）: unique, new, no brackets."""
    taken = tuple(label for _, label in c.FUND_SOURCES)
    out: list[str] = []
    for label in labels:
        if not isinstance(label, str) or not label.strip():
            raise ValueError("资金来源名称应为非空文字")
        label = label.strip()
        if label in taken or label in out:
            raise ValueError(f"资金来源“{label}”重复（已有 {' / '.join(taken)}）")
        if any(ch in label for ch in "（）().:"):
            raise ValueError(f"资金来源“{label}”不能含括号、句点或冒号")
        out.append(label)
    return tuple(out)


def _bands(items) -> tuple[tuple[Decimal, Decimal], ...]:
    """(lowest value, share) pairs from the file, highest first."""
    return tuple(sorted(((_dec(low), _dec(share)) for low, share in items), reverse=True))


def _flag(value, what: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"“{what}”应为 true 或 false")
    return value
