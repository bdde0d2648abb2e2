"""xlwings' internals that xlsuite relies on, all of them (xlwings 0.33 – 0.37).

xlwings' remote engine (the one that works on a book given as JSON and queues its writes as
actions) is how the tests drive the Excel buttons on a machine without Excel. xlwings registers
that engine only when it is imported with a licence key already set; when another module
imported xlwings first, ``register_remote_engine`` adds it. What it relies on:

- the private module ``xlwings.pro._xlremote`` and its ``engine``, the remote engine's
  implementation, given to ``xlwings.Engine(impl=...)`` and ``xlwings.engines.add``;
- the engine being named ``"remote"`` in ``xlwings.engines``.

``pyproject.toml`` pins xlwings below 0.38; ``tests/test_adapters.py`` checks each of these and
names this module when a new version has moved one.
"""

from __future__ import annotations


def register_remote_engine() -> None:
    """Add xlwings' remote engine to ``xlwings.engines`` unless it is there (the licence key
    must be set, in ``XLWINGS_LICENSE_KEY``)."""
    import xlwings as xw

    if "remote" not in [engine.name for engine in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(xw.Engine(impl=_xlremote.engine))
