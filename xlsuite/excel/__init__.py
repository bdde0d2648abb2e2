"""Inside Excel: xlwings UDFs, the 校验 / 评分 / 生成自评表 button actions, and the VBA they ship in.

Everything here is a thin layer over the core (``scoring``, ``validation``, ``reader.parse``): the
actions read each sheet in one bulk call, compute with the core, and write back in a few bulk
calls, against the xlwings ``Book`` API so the same code runs in desktop Excel (``RunPython``) and
in xlwings' remote engine, which is how the tests drive it.
"""
