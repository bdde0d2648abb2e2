"""生成报告 inside Excel: the self-evaluation report (.docx) written next to the workbook.

The report is drafted from the open book as it is on screen (read with ``bookio``, like the
other buttons), not from the file on disk: the accountant need not save first, and the button
never saves or changes the workbook. It goes where ``xlsuite report`` puts it
(``report.default_report_path``: ``<workbook>-自评报告.docx`` beside the workbook). A book never
saved to a local folder (a new book, or one opened from OneDrive/SharePoint, whose path is a web
address) has no folder beside it: the report then goes to the user's Documents folder. A county
that restyled ``自评报告模板.docx`` puts the template beside the workbook and it is used.
"""

from __future__ import annotations

from ..report import REPORT_TEMPLATE_NAME, default_report_path, draft_report, write_docx
from .bookio import book_file_name, book_folder, documents_folder
from .forms_bridge import evaluate_open_book

TITLE = "绩效自评"


def report_into(book, addin_dir=None) -> str:
    """生成报告: write the report, show where; returns the message."""
    evaluation, _ = evaluate_open_book(book, addin_dir)
    department = evaluation.book
    folder = book_folder(book)
    target = default_report_path((folder or documents_folder()) / book_file_name(book))
    template = folder / REPORT_TEMPLATE_NAME if folder is not None else None
    draft = draft_report(evaluation)
    # write_docx writes atomically and turns a locked or unwritable target into an InputError
    written = write_docx(draft, target, template if template and template.is_file() else None,
                         author=department.info.unit_name)
    where = "" if folder is not None else "（工作簿尚未保存在本机文件夹，报告已放在“文档”文件夹）"
    text = f"已生成自评报告{where}：\n{written}\n报告按当前打开的工作簿内容生成（含尚未保存的修改）。"
    book.app.alert(text, title=TITLE)
    return text

