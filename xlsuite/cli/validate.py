"""``xlsuite validate``: check workbooks against the rule catalogue, grouped by workbook."""

from __future__ import annotations

import json
import sys

from ..layout.textwidth import columns
from .common import add_command


def register(sub) -> None:
    p = add_command(
        sub, "validate", help="校验工作簿（平衡关系、表间核对、绩效指标、合理性）",
        description="按校验规则检查一个或多个工作簿；文件夹会递归查找其中的 .xlsx/.xlsm。\n"
                    "退出码：0 无错误；1 有“错误”级问题；2 有文件无法读取（其余文件照常校验），或没有找到工作簿。",
        examples=["xlsuite validate 永昌县工信局-2021.xlsx",
                  "xlsuite validate 报送文件夹/ --format json"])
    p.add_argument("paths", nargs="+", metavar="BOOK|DIR", help="工作簿文件或文件夹")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    p.add_argument("--profile", metavar="TOML", default=None, help="评分方案文件（默认：工作簿模板记录的方案，没有记录时用全国通用方案）")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..checking import validate_workbooks
    from ..core.profile import load_profile

    result = validate_workbooks(args.paths, load_profile(args.profile) if args.profile else None)
    if not result.books and args.format == "text":
        # Nothing checked: one line, as for any input the command cannot use.
        others = f"（其他 {len(result.skipped)} 个文件不是工作簿，已跳过）" if result.skipped else ""
        print(f"错误：{'、'.join(args.paths)} 中没有找到工作簿（.xlsx/.xlsm）{others}", file=sys.stderr)
        return result.exit_code
    if args.format == "json":
        json.dump(as_json(result), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(as_text(result))
    return result.exit_code


def as_json(result) -> dict:
    """The run as plain data: every book with its findings or its read error."""
    from ..core.validation import SEVERITIES, rule_label

    books = []
    for b in result.books:
        books.append({
            "path": str(b.path),
            "unit_name": b.unit_name,
            "readable": b.readable,
            "error": b.error,
            "counts": {s: b.count(s) for s in SEVERITIES},
            "findings": [{
                "rule_id": f.rule_id, "rule_name": rule_label(f.rule_id), "severity": f.severity,
                "cell": f.location or None,
                "sheet": f.cell.sheet if f.cell else None,
                "subject": f.subject, "message": f.message,
            } for f in b.findings],
        })
    return {"books": books,
            "skipped": [{"path": str(s.path), "reason": s.reason} for s in result.skipped],
            "exit_code": result.exit_code}


def as_text(result) -> str:
    from ..core import contract as c
    from ..core.validation import SEVERITIES, rule_label

    columns = (c.FINDING_SEVERITY, c.FINDING_RULE_NAME, c.FINDING_RULE, c.FINDING_LOCATION, c.FINDING_MESSAGE)
    lines: list[str] = []
    for b in result.books:
        if not b.readable:
            lines += [f"{b.path}：无法读取——{b.error}", ""]
            continue
        counts = "，".join(f"{s} {b.count(s)} 项" for s in SEVERITIES)
        unit = f"（{b.unit_name}）" if b.unit_name else ""
        lines.append(f"{b.path}{unit}：{counts}")
        if b.findings:
            rows = [(f.severity, rule_label(f.rule_id), f.rule_id, f.location or "—", f.message) for f in b.findings]
            lines += ["  " + line for line in _table(columns, rows)]
        else:
            lines.append("  未发现问题。")
        lines.append("")
    for s in result.skipped:
        lines.append(f"已跳过 {s.path}：{s.reason}")
    unreadable = sum(1 for b in result.books if not b.readable)
    totals = result.totals()
    summary = (f"共 {len(result.books)} 个工作簿，已校验 {len(result.books) - unreadable} 个，"
               f"无法读取 {unreadable} 个；" + "，".join(f"{s} {totals[s]} 项" for s in SEVERITIES) + "。")
    lines.append(summary)
    return "\n".join(lines)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - columns(text))


def _table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """Aligned columns; the last column (the message) runs free."""
    widths = [max(columns(r[i]) for r in (headers, *rows)) for i in range(len(headers) - 1)]
    out = []
    for r in (headers, *rows):
        out.append("  ".join([*(_pad(v, w) for v, w in zip(r, widths, strict=False)), r[-1]]).rstrip())
    return out
