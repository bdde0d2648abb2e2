"""Texts of the summary workbook that other code reads back: one definition for both sides.

``summary`` and ``charts`` write these sheet names, headers and keys; the county report
(``xlsuite.report.county_reader``) finds its sheets, columns and rows by them, never by
position, and the messages that point a user at a sheet (``consolidate``, the county report)
name it from here. This module imports only the contract, so any side may import it.
"""

from __future__ import annotations

from ..core import contract as c

# Sheet names, in the summary's order.
ABOUT, DEPARTMENTS, PROJECTS, INDICATORS = "汇总说明", "部门自评汇总", "项目自评汇总", "绩效指标明细"
FUNCTIONS, ECONOMICS, SANGONG, FINDINGS = "功能分类汇总", "经济分类汇总", "三公经费汇总", "审核问题清单"
REJECTED, MISSING, NOT_ON_ROSTER, RETURNS, GRADES = "未纳入汇总", "未报送单位", "不在名册中的单位", "退回清单", "等级分布"
SHEETS = (ABOUT, DEPARTMENTS, PROJECTS, INDICATORS, FUNCTIONS, ECONOMICS, SANGONG, FINDINGS,
          REJECTED, MISSING, NOT_ON_ROSTER, RETURNS, GRADES)

FEEDBACK_SHEET = "审核意见"
"""The one sheet of the 审核意见 workbook written for a department (``feedback``)."""

# Column headers shared by several sheets.
UNIT_CODE, UNIT_NAME, SUPERVISOR = (c.info_field(key).label for key in ("unit_code", "unit_name", "supervisor"))
"""The 部门信息 labels of these fields: the summary and the roster head their columns alike."""
SCORE, GRADE = "自评得分", "等级"
PROJECT_NAME = c.PROJECT_SHEET_DEF.column("name").header
SUBJECT = c.INDICATOR_SHEET_DEF.column("subject").header
"""审核问题清单 and the 审核意见: what a finding is about (部门整体 or a 项目编码)."""
SEVERITY, RULE_ID, LOCATION = c.FINDING_SEVERITY, c.FINDING_RULE, c.FINDING_LOCATION
RULE_NAME = c.FINDING_RULE_NAME
FILE, CATEGORY = "文件", "类别"
REASON, REQUEST = "原因", "请单位（或汇总人）"
"""未纳入汇总: why a file was left out, and what to ask for."""
FINDING_MESSAGE = "问题说明"
"""审核问题清单 and the 审核意见: a finding's message."""
FEEDBACK_FILE = "审核意见文件"
"""退回清单: the file written for the unit."""
SOURCE_FILE = "来源文件"
"""部门自评汇总 and 审核问题清单: the workbook a row comes from."""

# 汇总说明: key–value rows (key in column A, value in column B).
ABOUT_KEY_COL, ABOUT_VALUE_COL = 0, 1
ABOUT_COUNTY, ABOUT_YEAR, ABOUT_RECEIVED, ABOUT_ROSTER = "县（区）", "年度", "收到工作簿文件", "名册单位"
NO_ROSTER = "未提供名册"
"""The 名册单位 value when the consolidation was run without ``--roster``."""

# Total rows (labelled under 单位名称) and columns, and 部门自评汇总's subtotal per 主管部门.
TOTAL, SUBTOTAL = "合计", "小计"

# 等级分布: the grade table (等级 | 单位数 | 占比, then a 合计 row).
UNIT_COUNT, SHARE = "单位数", "占比"
UNGRADED = c.NOT_RATED
"""The 等级分布 row of the departments with no grade (summaries before #28 say 未评级)."""

NOT_RATED = c.NOT_RATED

# 项目自评汇总's amount columns, headed as the workbook contract heads them.
PROJECT_BUDGET, PROJECT_EXECUTED = (c.budget_column(key).header for key in ("adjusted", "executed"))

# 部门自评汇总's amount columns the county report reads back (万元).
BUDGET_TOTAL, SPENT_TOTAL, PROJECT_SPENT = "支出预算数", "支出合计", "项目支出"
