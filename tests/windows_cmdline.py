"""What Windows makes of the command line xlwings' ``RunPython`` builds, without Windows.

Three rules stand between a button's VBA and the ``python -c`` statement Python runs:

1. the VBA string expressions themselves (``"..."`` with ``""`` for a quote, ``&`` joining,
   ``Chr(34)``, ``Replace``): evaluated here from the statements of the VBA that ships
   (``vba_statement``), never re-typed;
2. ``cmd.exe /C``: ``%NAME%`` expanded everywhere, then ``"`` toggling a quoted region, and outside
   it ``^`` escaping the next character, ``&`` / ``&&`` / ``|`` / ``||`` separating commands and
   ``>`` redirecting (``cmd_commands``);
3. the Microsoft C runtime's splitting of a process's command line into ``argv`` (the rules of
   the UCRT's ``parse_cmdline``, which ``python.exe`` uses): ``crt_argv``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

# --- 1. VBA string expressions ------------------------------------------------------------------

_TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"]|"")*")|(?P<num>\d+)|(?P<name>[A-Za-z_][\w.]*\$?)|(?P<op>[&+(),]))')


def logical_lines(source: str) -> list[str]:
    """The module's lines with `` _`` continuations joined, comments kept."""
    out: list[str] = []
    pending = ""
    for line in source.replace("\r\n", "\n").split("\n"):
        if line.rstrip().endswith(" _"):
            pending += line.rstrip()[:-2] + " "
            continue
        out.append(pending + line)
        pending = ""
    return out


def procedure(source: str, name: str) -> list[str]:
    """The logical lines of the Sub or Function ``name`` in ``source``."""
    lines = logical_lines(source)
    start = next(i for i, line in enumerate(lines)
                 if re.match(rf"\s*(Public |Private )?(Function|Sub) {name}\(", line))
    end = next(i for i in range(start + 1, len(lines)) if re.match(r"\s*End (Function|Sub)\b", lines[i]))
    return lines[start:end + 1]


def vba_statement(lines: list[str], target: str, containing: str = "") -> str:
    """The right-hand side of the one assignment ``target = ...`` among ``lines`` that contains
    ``containing`` (a branch of an ``If`` is picked by a text of its own)."""
    found = [line.split("=", 1)[1] for line in lines
             if re.match(rf"\s*{re.escape(target)}\s*=", line) and containing in line]
    if len(found) != 1:
        raise LookupError(f"{len(found)} assignments of {target} containing {containing!r}")
    return found[0].strip()


def vba_eval(expression: str, names: Mapping[str, object]) -> str:
    """Evaluate a VBA string expression: literals, ``&`` / ``+`` joins, names bound in ``names``
    (``ThisWorkbook.Path`` is one name) and calls of the callables among them, ``Chr`` and
    ``Replace`` built in."""
    builtins: dict[str, Callable] = {"Chr": lambda n: chr(int(n)), "Chr$": lambda n: chr(int(n)),
                                     "Replace": lambda s, a, b: str(s).replace(str(a), str(b))}
    tokens = []
    pos = 0
    while pos < len(expression):
        if not expression[pos:].strip():
            break
        match = _TOKEN.match(expression, pos)
        if not match:
            raise SyntaxError(f"cannot read VBA at {expression[pos:]!r}")
        tokens.append((match.lastgroup, match.group(match.lastgroup)))
        pos = match.end()
    tokens.append(("end", ""))
    at = 0

    def peek():
        return tokens[at]

    def take():
        nonlocal at
        at += 1
        return tokens[at - 1]

    def concat():
        value = atom()
        while peek() in (("op", "&"), ("op", "+")):
            take()
            value = str(value) + str(atom())
        return value

    def atom():
        kind, text = take()
        if kind == "str":
            return text[1:-1].replace('""', '"')
        if kind == "num":
            return int(text)
        if kind == "op" and text == "(":
            value = concat()
            take()
            return value
        if kind == "name":
            if peek() == ("op", "("):
                take()
                args = []
                while peek() != ("op", ")"):
                    args.append(concat())
                    if peek() == ("op", ","):
                        take()
                take()
                function = names.get(text) or builtins[text]
                return function(*args)
            if text not in names:
                raise NameError(f"the VBA uses {text}, which the test does not give")
            return names[text]
        raise SyntaxError(f"unexpected {text!r}")

    value = concat()
    if peek()[0] != "end":
        raise SyntaxError(f"unread VBA: {tokens[at:]}")
    return value


# --- 2. cmd.exe /C ------------------------------------------------------------------------------


def cmd_expand(line: str, env: Mapping[str, str]) -> str:
    """``%NAME%`` replaced by the variable's value (names compared case-insensitively); an
    undefined one stays as typed, as on cmd.exe's command line (not in a batch file)."""
    lower = {k.lower(): v for k, v in env.items()}
    out, i = [], 0
    while i < len(line):
        if line[i] == "%":
            end = line.find("%", i + 1)
            if end > i + 1 and line[i + 1:end].lower() in lower:
                out.append(lower[line[i + 1:end].lower()])
                i = end + 1
                continue
            if end > i + 1:
                out.append(line[i:end])  # undefined: kept; the closing % may open the next
                i = end
                continue
        out.append(line[i])
        i += 1
    return "".join(out)


def cmd_commands(after_c: str, env: Mapping[str, str]) -> list[dict]:
    """The commands ``cmd.exe /C <after_c>`` runs, in order: each as ``{"line": what is passed to
    the program (quotes kept, carets removed), "redirects": [(stream, target)]}``."""
    text = after_c.lstrip()
    if text.startswith('"'):  # /C's old rule: the first and the last quote are removed
        last = text.rfind('"')
        text = text[1:last] + text[last + 1:]
    text = cmd_expand(text, env)
    commands: list[dict] = []
    current: list[str] = []
    redirects: list[tuple[str, str]] = []
    quoted = False
    i = 0

    def finish():
        commands.append({"line": "".join(current).strip(), "redirects": list(redirects)})
        current.clear()
        redirects.clear()

    while i < len(text):
        ch = text[i]
        if ch == '"':
            quoted = not quoted
            current.append(ch)
        elif quoted:
            current.append(ch)
        elif ch == "^" and i + 1 < len(text):
            current.append(text[i + 1])
            i += 1
        elif ch in "&|":
            finish()
            if i + 1 < len(text) and text[i + 1] == ch:
                i += 1
        elif ch == ">":
            stream = "1"
            if current and current[-1] in "012" and (len(current) == 1 or current[-2] == " "):
                stream = current.pop()
            j = i + 1
            while j < len(text) and text[j] == " ":
                j += 1
            if j < len(text) and text[j] == '"':
                end = text.index('"', j + 1)
                target = text[j + 1:end]
                i = end
            else:
                end = j
                while end < len(text) and text[end] not in " &|":
                    end += 1
                target = text[j:end]
                i = end - 1
            redirects.append((stream, target))
        else:
            current.append(ch)
        i += 1
    finish()
    return [c for c in commands if c["line"]]


# --- 3. the C runtime's argv ---------------------------------------------------------------------


def crt_argv(line: str) -> list[str]:
    """``argv`` as the Microsoft C runtime splits a process's command line (UCRT rules)."""
    args: list[str] = []
    i, n = 0, len(line)
    # The program name: up to the next quote when quoted (no escapes), else up to white space.
    if line.startswith('"'):
        end = line.find('"', 1)
        end = n if end < 0 else end
        args.append(line[1:end])
        i = end + 1
    else:
        while i < n and line[i] not in " \t":
            i += 1
        args.append(line[:i])
    while True:
        while i < n and line[i] in " \t":
            i += 1
        if i >= n:
            return args
        arg: list[str] = []
        quoted = False
        while i < n and (quoted or line[i] not in " \t"):
            slashes = 0
            while i < n and line[i] == "\\":
                slashes += 1
                i += 1
            if i < n and line[i] == '"':
                arg.append("\\" * (slashes // 2))
                if slashes % 2:
                    arg.append('"')
                elif quoted and i + 1 < n and line[i + 1] == '"':
                    arg.append('"')  # "" inside a quoted part: one literal quote
                    i += 1
                else:
                    quoted = not quoted
                i += 1
            else:
                arg.append("\\" * slashes)
                if i < n and (quoted or line[i] not in " \t"):
                    arg.append(line[i])
                    i += 1
        args.append("".join(arg))
