"""Each department's summary rows and record, kept on disk while a county is gathered.

A department's rows of the summary are rendered by the worker that read its book, as its result
arrives (see ``summary``), long before they can be placed: which books are included, and in what order, is known only once every
book is read. Kept in memory they grew the main process by tens of kilobytes per department
(hundreds of MiB for a province). Here nothing of a department stays in memory:

- its rendered rows (one run per sheet), the numbers the summary's total rows add up, and its
  record (for ``ConsolidationResult.departments``) go to one temporary file;
- its ``Head`` — the few fields that decide whether and where it is included, and where its
  parts lie in that file — goes to a table of a temporary SQLite database, which sorts and
  groups them (which unit sent several books, which year most books have, the summary's
  order) within its own small, bounded cache.

Both are anonymous (``tempfile.TemporaryFile``, and SQLite's private temporary database, whose
file has no name on POSIX), so a run killed by any signal leaves nothing behind.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import struct
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .results import Department

_FIELDS = ("id", "path", "code", "name", "supervisor", "year", "filled", "copy_of", "profile", "rate", "score",
           "grade", "errors", "warnings", "counts", "place")


class Head:
    """What is kept of a department's result until the summary is written (in the store).

    The attributes are ``Department``'s of the same names, so that deciding what is included,
    sorting and counting grades work on heads as on departments; ``errors`` and ``warnings``
    count its findings, ``counts`` its rows of each stored sheet (in the store's sheet order),
    ``id`` is its key in the store and ``place`` its parts' place in the store's file.
    """

    __slots__ = _FIELDS

    def __init__(self, *values):
        for name, value in zip(_FIELDS, values, strict=True):
            setattr(self, name, value)


class Packed(NamedTuple):
    """A department as a ``DepartmentStore`` keeps it, made by ``pack``: plain bytes and
    numbers, so a worker process can make it and send it for the main process only to write."""

    head: tuple
    """``Head``'s fields from ``path`` to ``warnings``, as the table holds them."""
    data: bytes
    """The parts, one after the other: each sheet's rows (UTF-8), the numbers, the record."""
    sizes: tuple[int, ...]
    """The length of each part of ``data``."""
    counts: tuple[int, ...]
    """Rows of each sheet."""


def pack(sheets: Sequence[str], d: Department, rows: dict[str, list[str]], numbers, errors: int,
         warnings: int) -> Packed:
    """What a store of ``sheets`` keeps of ``d``: its rendered rows by sheet, its ``numbers``
    (what the total rows add up), its record and its head."""
    parts = ["".join(rows[name]).encode("utf-8") for name in sheets]
    parts.append(pickle.dumps(numbers, pickle.HIGHEST_PROTOCOL))
    parts.append(pickle.dumps(d, pickle.HIGHEST_PROTOCOL))
    head = (d.path, d.code, d.name, d.supervisor, d.year, d.filled, d.copy_of, d.profile,
            None if d.rate is None else str(d.rate), str(d.score), d.grade, errors, warnings)
    return Packed(head, b"".join(parts), tuple(map(len, parts)), tuple(len(rows[name]) for name in sheets))


class DepartmentStore:
    """Each department's parts (rendered rows per sheet, its numbers, its record) in a file,
    and its ``Head`` in a table.

    Args:
        sheets: the names of the sheets whose rows are stored, in the order ``put`` gets them.
    """

    def __init__(self, sheets: Sequence[str]):
        self.sheets = tuple(sheets)
        self._index = {name: i for i, name in enumerate(self.sheets)}
        self._file = tempfile.TemporaryFile(prefix="xlsuite-summary-")
        self._end = 0
        self._db = sqlite3.connect("")  # a private temporary database, removed when closed
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute(
            "CREATE TABLE heads (id INTEGER PRIMARY KEY, path BLOB, code TEXT, name TEXT, supervisor TEXT,"
            " year INTEGER, filled TEXT, copy_of TEXT, profile TEXT, rate TEXT, score TEXT, grade TEXT,"
            " errors INTEGER, warnings INTEGER, counts BLOB, place BLOB, included INTEGER DEFAULT 1)")
        self._counts = struct.Struct(f"<{len(self.sheets)}I")
        self._place = struct.Struct(f"<Q{len(self.sheets) + 2}I")

    # --- writing ---------------------------------------------------------------------------

    def put(self, d: Department, rows: dict[str, list[str]], numbers, errors: int, warnings: int,
            key: int | None = None) -> int:
        """Store a department: its rendered rows by sheet, its numbers and its record, with its
        head; returns its key (``key``, or the next free one)."""
        return self.put_packed(pack(self.sheets, d, rows, numbers, errors, warnings), key)

    def put_packed(self, packed: Packed, key: int | None = None) -> int:
        """Store a department ``pack`` made (perhaps in another process, for the same sheets);
        returns its key (``key``, or the next free one)."""
        self._file.seek(self._end)
        self._file.write(packed.data)
        place = self._place.pack(self._end, *packed.sizes)
        self._end += len(packed.data)
        counts = self._counts.pack(*packed.counts)
        # The path as the file system's bytes: a name that is not UTF-8 (a surrogate in Python's
        # str) is no SQLite text; bytes sort as UTF-8 text does.
        path, *rest = packed.head
        cursor = self._db.execute("INSERT INTO heads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                                  (key, os.fsencode(path), *rest, counts, place))
        return cursor.lastrowid

    def leave_out(self, keys: Iterable[int]) -> None:
        """Mark these departments as not in the summary."""
        self._db.executemany("UPDATE heads SET included = 0 WHERE id = ?", ((k,) for k in keys))

    def include(self, key: int) -> None:
        """Mark a department left out as in the summary again."""
        self._db.execute("UPDATE heads SET included = 1 WHERE id = ?", (key,))

    # --- reading ---------------------------------------------------------------------------

    def heads(self, where: str = "1", params: tuple = (), order: str = "id") -> Iterator[Head]:
        """The heads matching the SQL condition ``where``, in ``order``."""
        cursor = self._db.execute(f"SELECT {', '.join(_FIELDS)} FROM heads WHERE {where} ORDER BY {order}", params)
        for row in cursor:
            yield self._head(row)

    def head(self, key: int) -> Head:
        return self._head(self._db.execute(f"SELECT {', '.join(_FIELDS)} FROM heads WHERE id = ?", (key,)).fetchone())

    def value(self, sql: str, params: tuple = ()):
        """The first column of the first row of a query over ``heads`` (``None`` for no row)."""
        row = self._db.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def column(self, sql: str, params: tuple = ()) -> list:
        return [row[0] for row in self._db.execute(sql, params)]

    def included(self, order: str) -> array:
        """The keys of the departments in the summary, in ``order`` (an SQL ORDER BY)."""
        return array("q", (row[0] for row in self._db.execute(f"SELECT id FROM heads WHERE included ORDER BY {order}")))

    def rows_of(self, keys: Sequence[int], sheet: str) -> Iterator[bytes]:
        """The rendered rows (UTF-8) on ``sheet`` of each of the departments ``keys``, in that order."""
        i = self._index[sheet]
        for _, place in self._by_key(keys, "id, place"):
            yield self._read_part(place, i)

    def rows_apart(self, keys: Sequence[int], sheet: str) -> Callable[[], Iterator[bytes]]:
        """What yields ``rows_of(keys, sheet)`` in a process forked from this one: the parts'
        places are looked up here and now and kept in the store's file (not in memory: a
        county's thousands of them), and everything is read by ``os.pread``, which neither uses
        nor moves the file position this process shares with the fork (nor a database
        connection, which a fork must not use)."""
        i, table_at, count = self._index[sheet], self._end, len(keys)
        self._file.seek(self._end)
        run = []
        for _, place in self._by_key(keys, "id, place"):
            run.append(_PLACE.pack(*self._span(place, i)))
            if len(run) == _LOOKUP_RUN:
                self._file.write(b"".join(run))
                run.clear()
        self._file.write(b"".join(run))
        self._end = self._file.tell()
        self._file.flush()
        fd = self._file.fileno()

        def rows() -> Iterator[bytes]:
            for first in range(0, count, _LOOKUP_RUN):
                n = min(_LOOKUP_RUN, count - first)
                for offset, size in _PLACE.iter_unpack(os.pread(fd, n * _PLACE.size, table_at + first * _PLACE.size)):
                    yield os.pread(fd, size, offset)

        return rows

    def heads_of(self, keys: Sequence[int]) -> Iterator[Head]:
        """The heads of the departments ``keys``, in that order."""
        for row in self._by_key(keys, ", ".join(_FIELDS)):
            yield self._head(row)

    def _by_key(self, keys: Sequence[int], columns: str) -> Iterator[tuple]:
        """``columns`` (the first the id) of the departments ``keys``, in that order, looked up
        a hundred at a time (a query for each would cost more than what it reads)."""
        for start in range(0, len(keys), _LOOKUP_RUN):
            run = keys[start:start + _LOOKUP_RUN]
            found = {row[0]: row for row in self._db.execute(
                f"SELECT {columns} FROM heads WHERE id IN ({','.join('?' * len(run))})", tuple(run))}
            for key in run:
                yield found[key]

    def numbers_of(self, head: Head):
        """What the total rows add up of the department ``head`` heads."""
        return pickle.loads(self._read_part(head.place, len(self.sheets)))

    def record(self, key: int) -> Department:
        return pickle.loads(self._part(key, len(self.sheets) + 1))

    def records_of(self, keys: Sequence[int]) -> Iterator[Department]:
        """The records of the departments ``keys``, in that order."""
        for _, place in self._by_key(keys, "id, place"):
            yield pickle.loads(self._read_part(place, len(self.sheets) + 1))

    def _head(self, row) -> Head:
        values = list(row)
        values[1] = os.fsdecode(values[1])
        values[9] = None if values[9] is None else Decimal(values[9])
        values[10] = Decimal(values[10])
        values[14] = self._counts.unpack(values[14])
        return Head(*values)

    def _part(self, key: int, i: int) -> bytes:
        return self._read_part(self.value("SELECT place FROM heads WHERE id = ?", (key,)), i)

    def _read_part(self, place: bytes, i: int) -> bytes:
        """Part ``i`` of a department whose parts lie at ``place`` (a ``Head``'s)."""
        offset, size = self._span(place, i)
        self._file.seek(offset)
        return self._file.read(size)

    def _span(self, place: bytes, i: int) -> tuple[int, int]:
        """Where part ``i`` of a department whose parts lie at ``place`` starts in the file, and its size."""
        offset, *sizes = self._place.unpack(place)
        return offset + sum(sizes[:i]), sizes[i]


_PLACE = struct.Struct("<QI")
"""A part's offset in the store's file and its size (``rows_apart``)."""
_LOOKUP_RUN = 100
"""Keys a query of ``_by_key`` looks up: few enough that the rows it holds stay small beside
the rest (the main process must not grow with the county), enough to cost little per key."""


class StoredDepartments(Sequence):
    """``ConsolidationResult.departments`` when they are kept in a ``DepartmentStore``: each
    ``Department`` is read back as it is asked for, so going through them all holds one at a
    time. ``keys`` (the summary's order) is all that stays in memory."""

    def __init__(self, store: DepartmentStore, keys: array):
        self.store = store
        self.keys = keys

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return list(self.store.records_of(self.keys[i]))
        return self.store.record(self.keys[i])

    def __iter__(self) -> Iterator[Department]:
        return self.store.records_of(self.keys)

    def __eq__(self, other) -> bool:
        """Equal to a list (or another sequence) of the same departments, as a list would be."""
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None

    @property
    def heads(self) -> Heads:
        return Heads(self.store, self.keys)


class Heads(Sequence):
    """The heads of stored departments, in order, each read from the store as it is asked for."""

    def __init__(self, store: DepartmentStore, keys: array):
        self.store, self.keys = store, keys

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return Heads(self.store, self.keys[i])
        return self.store.head(self.keys[i])

    def __iter__(self) -> Iterator[Head]:
        return self.store.heads_of(self.keys)


def heads_of(departments: Sequence) -> Sequence:
    """The light view of ``departments``: their heads when they are stored, else the
    departments themselves (which have the same attributes)."""
    return departments.heads if isinstance(departments, StoredDepartments) else departments
