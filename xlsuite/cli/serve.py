"""``xlsuite serve``: the county's server for the WPS 加载项 and Excel without Python."""

from __future__ import annotations

from .common import add_command

DEFAULT_PORT = 8765


def register(sub) -> None:
    p = add_command(
        sub, "serve", help="启动本县的 xlsuite 服务（供 WPS 加载项和没有 Python 的 Excel 使用）",
        description="在财政局的一台电脑（Windows 或 Linux）上启动 HTTP 服务：各单位 WPS 的“绩效自评”加载项"
                    "（以及没有 Python 的 Excel 加载项）把工作簿内容发到这里，完成 校验 / 评分 / 生成自评表 后取回结果。\n"
                    "服务不保存收到的任何内容，每个请求只记一行日志。浏览器打开 http://地址:端口/ 可看到运行状态和 WPS 的配置方法。\n"
                    "默认只在本机（127.0.0.1）可用；要让局域网中的电脑使用，用 --host 0.0.0.0 并在防火墙中放行端口。",
        examples=["xlsuite serve", "xlsuite serve --host 0.0.0.0 --port 8765 --public-url http://10.1.2.3:8765",
                  "xlsuite serve --pyodide 安装包/pyodide --allow-origin http://127.0.0.1:3889"])
    p.add_argument("--host", default="127.0.0.1", help="监听的地址（默认 127.0.0.1，仅本机；0.0.0.0 为所有网卡）")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"端口（默认 {DEFAULT_PORT}；0 为任选一个空闲端口）")
    p.add_argument("--public-url", metavar="URL", default=None,
                   help="各单位电脑访问本服务的地址，写入 publish.xml 和 jsplugins.xml（默认：请求所用的地址）")
    p.add_argument("--allow-origin", action="append", default=[], metavar="ORIGIN",
                   help="允许哪个网页来源调用本服务（可多次使用；由本服务提供的加载项页面不需要）")
    p.add_argument("--pyodide", metavar="DIR", default=None,
                   help="Pyodide 所在文件夹：提供后加载项可在网页中直接运行 Python（不联网）")
    p.add_argument("--max-body-mb", type=int, default=32, help="单个请求的最大大小（MB，默认 32）")
    p.add_argument("--timeout", type=float, default=60.0, help="单个操作的最长时间（秒，默认 60）")
    p.set_defaults(func=run)


def run(args) -> int:
    import logging
    import sys
    from pathlib import Path

    from ..core.errors import InputError
    from ..server import ServerSettings, create_app

    if args.pyodide is not None and not (Path(args.pyodide) / "pyodide.js").is_file():
        raise InputError(args.pyodide, "不是 Pyodide 文件夹（其中没有 pyodide.js）")
    if not 0 <= args.port <= 65535:
        raise InputError(None, f"端口 {args.port} 不可用：应在 0 到 65535 之间")
    settings = ServerSettings(
        max_body_bytes=args.max_body_mb * 1024 * 1024, timeout_seconds=args.timeout,
        allowed_origins=tuple(o.rstrip("/") for o in args.allow_origin),
        pyodide_dir=Path(args.pyodide).resolve() if args.pyodide else None,
        public_url=args.public_url)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    return serve(create_app(settings), args.host, args.port)


def serve(app, host: str, port: int) -> int:
    """Run ``app`` until Ctrl-C; says where it listens once it does."""
    import socket

    import uvicorn

    from ..core.errors import InputError

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise InputError(None, f"无法在 {host}:{port} 上启动服务（{exc.strerror}）：端口可能已被占用，请换一个 --port") from None
    # Listening before saying so: a client that believes the line is queued, never refused.
    sock.listen(2048)
    bound = sock.getsockname()[1]
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    print(f"xlsuite 服务已启动：http://{shown}:{bound}/ （按 Ctrl+C 停止）", flush=True)
    config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])
    print("xlsuite 服务已停止。")
    return 0
