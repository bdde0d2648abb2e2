"""The HTTP application of ``xlsuite serve`` (see the package docstring)."""

from __future__ import annotations

import html
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..core.book_limits import LIMITED_SHEETS, extent_reason, long_texts
from ..core.errors import TRIM_SHEET, CellValueError, InputError
from ..excel import actions as button_actions
from ..excel.host import PROTOCOL, HostBook, PayloadError
from . import wps_files
from .sources import sources_zip

LOG = logging.getLogger("xlsuite.serve")

SERVED_ACTIONS = ("validate", "score", "forms")
"""What the server runs. 生成报告 writes a Word file beside the workbook: a server cannot put it on
the accountant's PC, so the add-in offers it only where Python runs in the page."""


@dataclass(frozen=True)
class ServerSettings:
    """Limits and choices of one server."""

    max_body_bytes: int = 32 * 1024 * 1024
    """A 200-project book sent as JSON is about 3 MB; the margin is for long texts."""
    max_cells: int = 2_000_000
    """Cells of all sheets together: the contract's largest book has under 200,000."""
    timeout_seconds: float = 60.0
    """An action on the largest book takes a few seconds; longer means something is wrong."""
    allowed_origins: tuple[str, ...] = ()
    """Origins whose pages may call the API (a WPS 加载项 loaded from a folder or another server);
    pages served by this server itself need none."""
    concurrency: int = 2
    """Actions run at once (one per core is the most that helps); more requests wait their turn."""
    pyodide_dir: Path | None = None
    """A folder holding Pyodide (``pyodide.js``, ``pyodide.asm.wasm``, …), served at /pyodide/."""
    public_url: str | None = None
    """The address PCs reach this server at, for publish.xml and jsplugins.xml (default: the
    address each request came to)."""
    extra: dict = field(default_factory=dict)


def create_app(settings: ServerSettings | None = None) -> Starlette:
    """The application, with ``settings`` (defaults above)."""
    settings = settings or ServerSettings()
    slots = threading.BoundedSemaphore(settings.concurrency)
    limiter = anyio.CapacityLimiter(settings.concurrency)

    async def run_action(request: Request) -> Response:
        name = request.path_params["action"]
        if name not in SERVED_ACTIONS:
            known = "、".join(SERVED_ACTIONS)
            return _error(404, f"没有这个操作：{name}（服务器提供：{known}）")
        if "application/json" not in request.headers.get("content-type", ""):
            return _error(415, "请求体应为 JSON（Content-Type: application/json）")
        body = await _read_body(request, settings.max_body_bytes)
        if isinstance(body, Response):
            return body
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError):
            return _error(400, "请求体不是有效的 JSON（可能被截断）")
        too_large = _too_large(payload)
        if too_large:
            return _error(413, too_large)
        cells = _cell_count(payload)
        if cells > settings.max_cells:
            return _error(413, f"工作簿太大：共 {cells} 个单元格，服务器最多处理 {settings.max_cells} 个")
        try:
            book = HostBook(payload)
        except PayloadError as exc:
            return _error(422, str(exc))
        try:
            with anyio.fail_after(settings.timeout_seconds):
                await anyio.to_thread.run_sync(_run, book, name, slots, limiter=limiter, abandon_on_cancel=True)
        except TimeoutError:
            return _error(503, f"处理超时（超过 {settings.timeout_seconds:g} 秒），请稍后重试或联系财政局")
        return JSONResponse(book.json())

    async def home(request: Request) -> Response:
        base = _base_url(request, settings)
        return HTMLResponse(_home_page(base, settings))

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "version": __version__, "protocol": PROTOCOL,
                             "actions": list(SERVED_ACTIONS), "pyodide": settings.pyodide_dir is not None})

    async def publish_xml(request: Request) -> Response:
        return Response(wps_files.publish_xml(_base_url(request, settings)), media_type="application/xml")

    async def jsplugins_xml(request: Request) -> Response:
        return Response(wps_files.jsplugins_xml(_base_url(request, settings)), media_type="application/xml")

    async def page_config(request: Request) -> Response:
        base = _base_url(request, settings)
        pyodide = f"{base}/pyodide/" if settings.pyodide_dir is not None else ""
        return Response(wps_files.config_js(server=base, pyodide=pyodide, sources=f"{base}/wps/{wps_files.SOURCES_ZIP}"),
                        media_type="text/javascript", headers={"Cache-Control": "no-store"})

    async def python_sources(request: Request) -> Response:
        return Response(sources_zip(), media_type="application/zip")

    routes = [
        Route("/", home),
        Route("/health", health),
        Route("/api/{action}", run_action, methods=["POST"]),
        Route("/jsplugins.xml", jsplugins_xml),
        Route("/wps/publish.xml", publish_xml),
        Route(f"/wps/{wps_files.CONFIG_JS}", page_config),
        Route(f"/wps/{wps_files.SOURCES_ZIP}", python_sources),
        Mount("/wps", app=StaticFiles(directory=str(wps_files.addin_dir())), name="wps"),
    ]
    if settings.pyodide_dir is not None:
        routes.append(Mount("/pyodide", app=StaticFiles(directory=str(settings.pyodide_dir)), name="pyodide"))
    app = Starlette(routes=routes, exception_handlers={404: _not_found, 405: _not_allowed})
    app.add_middleware(_Guard, settings=settings)
    return app


def _run(book: HostBook, name: str, slots: threading.BoundedSemaphore) -> None:
    with slots:
        button_actions.run(book, button_actions.ACTIONS[name])


async def _read_body(request: Request, limit: int) -> bytes | Response:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        return _error(413, f"请求体太大（上限 {limit // (1024 * 1024)} MB）")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return _error(413, f"请求体太大（上限 {limit // (1024 * 1024)} MB）")
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(payload) -> str | None:
    """The refusal of a sheet past the limits every reader keeps (``book_limits``: its extent, the
    length of its texts), in the words ``xlsuite validate`` and the buttons use, or None."""
    if not isinstance(payload, dict) or not isinstance(payload.get("sheets"), list):
        return None  # not a book: HostBook says what is wrong with it
    for sheet in payload["sheets"]:
        if not isinstance(sheet, dict) or sheet.get("name") not in LIMITED_SHEETS:
            continue
        values = sheet.get("values")
        if isinstance(values, list):
            columns = max((len(row) for row in values if isinstance(row, list)), default=0)
            reason = extent_reason(sheet["name"], len(values), columns)
            if reason:
                return InputError(None, reason, TRIM_SHEET).for_user()
            too_long = long_texts(sheet["name"], [row for row in values if isinstance(row, list)])
            if too_long:
                return CellValueError(None, too_long).reason
    return None


def _cell_count(payload) -> int:
    if not isinstance(payload, dict) or not isinstance(payload.get("sheets"), list):
        return 0
    total = 0
    for sheet in payload["sheets"]:
        values = sheet.get("values") if isinstance(sheet, dict) else None
        if isinstance(values, list):
            total += sum(len(row) if isinstance(row, list) else 1 for row in values)
    return total


async def _not_found(request: Request, exc) -> Response:
    return _error(404, f"没有这个地址：{request.url.path}")


async def _not_allowed(request: Request, exc) -> Response:
    return _error(405, f"{request.url.path} 不接受 {request.method} 请求")


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _base_url(request: Request, settings: ServerSettings) -> str:
    return (settings.public_url or str(request.base_url)).rstrip("/")


class _Guard:
    """Cross-origin rules, the one log line a request, and no traceback ever leaving the server."""

    def __init__(self, app, settings: ServerSettings):
        self.app = app
        self.settings = settings

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        origin = headers.get("origin")
        allowed = origin is not None and origin in self.settings.allowed_origins
        state = {"status": 500, "bytes": 0}
        if origin is not None and not allowed and not _same_origin(origin, headers.get("host", "")):
            response = _error(403, f"不允许来自 {origin} 的网页调用本服务（启动时用 --allow-origin 指定）")
            await self._send_logged(response, scope, receive, send, state)
            return self._log(scope, state, started)
        if scope["method"] == "OPTIONS" and allowed:
            response = Response(status_code=204, headers=_cors(origin))
            await self._send_logged(response, scope, receive, send, state)
            return self._log(scope, state, started)

        async def sending(message):
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                if allowed:
                    message = {**message, "headers": [*message.get("headers", []),
                                                       *((k.encode(), v.encode()) for k, v in _cors(origin).items())]}
            elif message["type"] == "http.response.body":
                state["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception:
            LOG.exception("internal error on %s", scope.get("path"))
            if state["status"] == 500:
                await _error(500, "服务器内部出错，已记录日志；请联系财政局")(scope, receive, send)
        self._log(scope, state, started)

    async def _send_logged(self, response, scope, receive, send, state):
        state["status"] = response.status_code
        state["bytes"] = len(response.body)
        await response(scope, receive, send)

    def _log(self, scope, state, started) -> None:
        client = (scope.get("client") or ("-", 0))[0]
        LOG.info("%s %s %s %d %dB %.0fms", client, scope["method"], scope["path"], state["status"],
                 state["bytes"], (time.perf_counter() - started) * 1000)


def _same_origin(origin: str, host: str) -> bool:
    return origin.split("://", 1)[-1] == host


def _cors(origin: str) -> dict[str, str]:
    return {"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type", "Vary": "Origin", "Access-Control-Max-Age": "600"}


def _loopback_note(base: str) -> str:
    host = base.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
    if host not in ("127.0.0.1", "localhost", "[::1]"):
        return ""
    return ("<p><strong>注意：</strong>本页是从本机地址打开的，下面的地址其他电脑访问不到。请用 "
            "<code>xlsuite serve --host 0.0.0.0 --public-url http://本机局域网IP:端口</code> 启动，"
            "或在其他电脑上用本机的局域网地址打开本页。</p>\n")


def _home_page(base: str, settings: ServerSettings) -> str:
    e = html.escape
    pyodide = "已提供（加载项可在网页中运行 Python）" if settings.pyodide_dir else "未提供（加载项调用本服务器）"
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>xlsuite 服务</title>
<style>body{{font-family:sans-serif;max-width:46em;margin:2em auto;line-height:1.6}}code{{background:#eee;padding:0 .3em}}</style>
</head><body>
<h1>xlsuite 服务正在运行</h1>
<p>版本 {e(__version__)}；提供的操作：校验、评分、生成自评表；Pyodide：{e(pyodide)}。</p>
{_loopback_note(base)}<h2>让各单位的 WPS 使用本服务</h2>
<ol>
<li>全县统一部署（推荐）：在每台电脑 WPS 的 <code>oem.ini</code> 的 <code>[Support]</code> 段加入
<code>JsApiPlugin=true</code> 和 <code>JsApiShowWebDebugger=false</code>，并在 <code>[Server]</code> 段加入
<code>JSPluginsServer={e(base)}/jsplugins.xml</code>，重启 WPS。</li>
<li>单台电脑：把 <a href="{e(base)}/wps/publish.xml">publish.xml</a> 保存到该用户的 WPS 加载项文件夹
（Windows：<code>%APPDATA%\\kingsoft\\wps\\jsaddons</code>；麒麟、统信：<code>~/.local/share/Kingsoft/wps/jsaddons</code>），重启 WPS。</li>
</ol>
<p>详见 docs/wps-install.md。本服务不保存收到的任何工作簿内容；每个请求只记录一行日志（时间、地址、状态、大小、耗时）。</p>
<p>检查：<a href="{e(base)}/health">{e(base)}/health</a></p>
</body></html>
"""
