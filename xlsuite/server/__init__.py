"""``xlsuite serve``: the county's own server for PCs without Python.

One HTTP application (Starlette, served by uvicorn) that a county runs on the bureau's PC:

- ``POST /api/<action>`` runs 校验 / 评分 / 生成自评表 on a book sent in xlsuite's host protocol
  (``excel.host``) and answers the edits to apply: what the WPS 加载项 and the Excel thin client
  call when the page cannot run Python itself;
- ``/wps/`` serves the WPS 加载项's page and ribbon, ``/wps/publish.xml`` and ``/jsplugins.xml``
  tell WPS where they are, ``/pyodide/`` serves Pyodide for Python in the page when the server has
  it (``xlsuite serve --pyodide DIR``);
- ``/`` is a page for IT: it is running, which version, how to point WPS at it.

It keeps nothing it is sent (the book lives for one request, no payload is logged), limits body
size, grid size and time, refuses a bad payload with a Chinese message and a 4xx (never a 500 with
a traceback), allows cross-origin calls only from the origins it is given, and logs one line a
request. ``app.create_app`` builds it; ``cli/serve.py`` runs it.
"""

from .app import ServerSettings, create_app

__all__ = ["ServerSettings", "create_app"]
