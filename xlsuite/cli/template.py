"""``xlsuite template``: build the standard template and the filled samples."""

from __future__ import annotations

from pathlib import Path

from .common import add_command, add_force, check_output


def register(sub) -> None:
    p = add_command(sub, "template", help="生成标准工作簿模板（及填报样例）",
                    description="生成标准工作簿模板 预算绩效自评模板.xlsx（无宏）、带按钮的 预算绩效自评模板.xlsm、"
                                "自评报告 Word 模板 自评报告模板.docx，"
                                "并在 samples/ 下生成填报样例。",
                    examples=["xlsuite template -o workbook_templates",
                              "xlsuite template -o 省模板 --profile 省评分方案.toml --no-samples"])
    p.add_argument("-o", "--output", default="workbook_templates", metavar="DIR",
                   help="输出文件夹（默认 workbook_templates）")
    p.add_argument("--profile", metavar="TOML", default=None,
                   help="评分方案文件：下拉列表按其指标体系生成，方案全文记入模板，"
                        "用该模板填报的工作簿默认按此方案评分（默认全国通用方案）")
    p.add_argument("--no-samples", action="store_true", help="只生成模板，不生成填报样例")
    add_force(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..core.profile import load_profile
    from ..report import build_report_template
    from ..template.build import build_macro_template, build_template
    from ..template.sample import build_samples

    profile = load_profile(args.profile)
    for name in _outputs(args.no_samples):  # all checked before any is written
        check_output(Path(args.output) / name, args.force)
    print(f"模板已生成：{build_template(args.output, profile)}")
    print(f"报告模板已生成：{build_report_template(args.output)}")
    print(f"带按钮的模板已生成：{build_macro_template(args.output, profile)}")
    if not args.no_samples:
        for sample in build_samples(args.output):
            print(f"样例已生成：{sample}")
    return 0


def _outputs(no_samples: bool) -> list[str]:
    """The files ``template`` writes, relative to its output folder."""
    from ..excel.macro_book import MACRO_TEMPLATE_FILENAME
    from ..report import REPORT_TEMPLATE_NAME
    from ..template.build import TEMPLATE_FILENAME
    from ..template.sample import SAMPLES_DIRNAME, load_sample, sample_data_files

    names = [TEMPLATE_FILENAME, REPORT_TEMPLATE_NAME, MACRO_TEMPLATE_FILENAME]
    if not no_samples:
        names += [f"{SAMPLES_DIRNAME}/{load_sample(f)[1]['file']}" for f in sample_data_files()]
    return names
