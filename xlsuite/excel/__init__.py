"""Inside Excel: xlwings UDFs, the 校验 / 评分 / 生成自评表 / 生成报告 button actions, and the VBA
they ship in.

Everything here is a thin layer over the core (``scoring``, ``validation``, ``reader.parse``): the
actions read each sheet in one bulk call, compute with the core, and write back in a few bulk
calls, against the xlwings ``Book`` API so the same code runs in desktop Excel (``RunPython``) and
on a book sent as JSON (``host``: xlsuite's host protocol, which the tests, the server and the
WPS add-in speak).

Modules: ``actions`` (the button entry points and their error messages), ``forms_bridge`` (校验,
评分, 生成自评表), ``report_action`` (生成报告), ``bookio`` (bulk reads), ``plan_writer`` (sheet
plans into the book: copied in from a file on desktop Excel, values on a JSON book),
``cell_colours`` (colouring offending cells), ``udfs``, ``vba`` / ``macro_book`` / ``addin`` (the
.xlsm and .xlam).
"""
