"""The self-evaluation report (部门整体支出预算绩效自评报告) drafted from a workbook.

``text`` composes the Chinese sentences from the model and the scores (pure, no Word), ``forms``
picks the official forms for the appendix (the sheet plans of ``xlsuite.forms``, the same ones
``xlsuite score`` writes), ``docx_template`` builds the Word template that holds the look,
``docx_writer`` draws the draft into it and ``docx_plan`` draws a sheet plan as Word tables.
``write_report`` is the one call the CLI makes.

python-docx is imported only by the ``docx_`` modules, and only when a document is made:
composing the text needs no Word library.
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import InputError, os_reason
from ..core.evaluation import Evaluation, evaluate
from ..core.model import DepartmentBook
from ..core.profile import Profile, as_profile
from .text import SECTIONS, ReportDraft, compose_report

REPORT_SUFFIX = "-自评报告.docx"
COUNTY_REPORT_SUFFIX = "-汇总报告.docx"
UNFILLED = "工作簿尚未填写：收支情况和项目支出没有金额，也没有绩效指标，无法生成自评报告，请填写后再生成"
REPORT_TEMPLATE_NAME = "自评报告模板.docx"
"""The Word template's file name in workbook_templates/ (see ``docx_template``)."""


def build_report_template(out_dir: str | Path) -> Path:
    """Write 自评报告模板.docx into ``out_dir``; see ``docx_template.write_report_template``."""
    from .docx_template import write_report_template

    return write_report_template(Path(out_dir) / REPORT_TEMPLATE_NAME)


def render_docx(draft: ReportDraft, template: str | Path | None = None, *, author: str = "") -> bytes:
    """The report as .docx bytes; see ``docx_writer.render_docx``."""
    from .docx_writer import render_docx as render

    return render(draft, template, author=author)


def write_docx(draft: ReportDraft, path: str | Path, template: str | Path | None = None, *,
               author: str = "") -> Path:
    """Write the report to ``path`` atomically; see ``docx_writer.write_docx``."""
    from .docx_writer import write_docx as write

    return write(draft, path, template, author=author)


def draft_report(book: DepartmentBook | Evaluation, profile: Profile | None = None, *,
                 signature: bool = True) -> ReportDraft:
    """Compose the report of an evaluation, or of a book evaluated under ``profile`` (by default
    the one the book records, else national); ``signature=False`` leaves out the 落款.

    Raises:
        InputError: the book has no amounts and no indicators (``UNFILLED``).
    """
    evaluation = book if isinstance(book, Evaluation) else evaluate(book, profile)
    book = evaluation.book
    if not book.has_amounts and not book.indicators:
        # Nothing to report on (the unfilled template): a draft would be words with no facts.
        raise InputError(book.source or None, UNFILLED)
    return compose_report(book, evaluation.score, signature=signature,
                          layout=evaluation.profile.forms, findings=evaluation.findings,
                          printed=list(evaluation.printed_totals))


def default_report_path(book_path: str | Path) -> Path:
    """Beside the workbook: ``永昌县工信局-2021.xlsx`` → ``永昌县工信局-2021-自评报告.docx``."""
    book_path = Path(book_path)
    return book_path.with_name(f"{book_path.stem}{REPORT_SUFFIX}")


def default_county_report_path(summary_path: str | Path) -> Path:
    """Beside the summary: ``县级汇总-2021.xlsx`` → ``县级汇总-2021-汇总报告.docx``."""
    summary_path = Path(summary_path)
    return summary_path.with_name(f"{summary_path.stem}{COUNTY_REPORT_SUFFIX}")


def write_report(book_path: str | Path, output: str | Path | None = None, *,
                 template: str | Path | None = None, profile: str | Path | Profile | None = None,
                 signature: bool = True) -> Path:
    """Read a department's workbook, score it and write its report as a new .docx file.

    Args:
        book_path: the filled workbook; it is only read.
        output: the .docx to write (default: beside the workbook, see ``default_report_path``).
        template: a restyled copy of 自评报告模板.docx (default: the built-in template).
        profile: a scoring profile or its file (default: the one the book records, else national).
        signature: end the body with the 落款 (单位名称 and 填报日期, else today's date).

    Returns:
        The path written.

    Raises:
        XlsuiteError: the workbook, template or profile cannot be used; the message says why.
    """
    return write_book_report(book_path, output, template=template, profile=profile, signature=signature)[0]


def write_book_report(book_path: str | Path, output: str | Path | None = None, *,
                      template: str | Path | None = None,
                      profile: str | Path | Profile | None = None,
                      signature: bool = True) -> tuple[Path, Evaluation]:
    """``write_report``, also returning the evaluation the report was drafted from (the CLI
    warns of its errors)."""
    from ..reader import read_book

    book_path = Path(book_path)
    out = Path(output) if output is not None else default_report_path(book_path)
    _check_output(out, book_path)
    profile = as_profile(profile)
    book = read_book(book_path)
    evaluation = evaluate(book, profile)
    path = write_docx(draft_report(evaluation, signature=signature), out, template, author=book.info.unit_name)
    return path, evaluation


def write_county_report(summary_path: str | Path, output: str | Path | None = None, *,
                        template: str | Path | None = None, signature: bool = True) -> Path:
    """Draft the county's summary report from a summary workbook of ``xlsuite consolidate``.

    Args:
        summary_path: the summary workbook (县级汇总表); it is only read.
        output: the .docx to write (default: beside the summary, ``<name>-汇总报告.docx``).
        template: a restyled copy of 自评报告模板.docx (default: the built-in template).
        signature: end the body with the 落款 (the county's 财政局 and today's date).

    Returns:
        The path written.

    Raises:
        XlsuiteError: the summary or template cannot be used; the message says why.
    """
    from .county_reader import read_county_summary
    from .county_text import compose_county_report

    summary_path = Path(summary_path)
    out = Path(output) if output is not None else default_county_report_path(summary_path)
    _check_output(out, summary_path)
    summary = read_county_summary(summary_path)
    return write_docx(compose_county_report(summary, signature=signature), out, template, author=f"{summary.county}财政局")


def _check_output(out: Path, source: Path) -> None:
    if out.suffix.lower() != ".docx":
        raise InputError(out, "报告文件名须以 .docx 结尾")
    try:
        same = out.exists() and source.exists() and out.resolve() == source.resolve()
    except OSError as exc:  # a name too long for the file system (the default adds 「-自评报告」), …
        raise InputError(out, f"无法写入输出文件（{os_reason(exc)}）") from None
    if same:
        raise InputError(out, "报告不能覆盖工作簿本身，请换一个文件名")


__all__ = ["draft_report", "write_report", "write_book_report", "write_county_report", "default_report_path", "compose_report", "render_docx",
           "write_docx", "build_report_template", "ReportDraft", "SECTIONS", "REPORT_TEMPLATE_NAME"]
