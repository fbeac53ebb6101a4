"""Validated rows as compact batches between the reading process and the importing one. Django-free.

Pickling one dict or object per row costs 17–25 µs; a batch is packed as plain tuples instead: per
row the line, the value keys' number (the keys go once per batch), the values, the issues (``None``
when there are none), ``ok``, the family and person keys and the raw cells — joined into one string
with ``\\x1f`` when they are all text without that character (any CSV row), else as a tuple. The
receiving side rebuilds equal :class:`RowResult` objects, in file order.

**Family values once per family.** The members of a family share most of their values (KK, address,
kelurahan, welfare and housing fields: about two thirds of a registry row), and the validator gives
them the very same objects. A :class:`Layout` learns, from the first rows of each key set, which
positions of the values hold the same object on every member of a family (``is``, not ``==``; lists
and dicts are never shared this way); after that a member whose shared values equal the previous
row's (same family key, same key set, same batch) is sent with its own values only, and the receiver
copies the rest from the previous row. Whatever was learned, a row is rebuilt exactly: a shared
position that differs sends the whole row again.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from padu.ingest.engine.results import RowResult

__all__ = ["Layout", "PackedRow", "fields", "pack", "unpack"]

_SEP = "\x1f"
_FULL, _SAME_FAMILY = 0, 1
LEARN_PAIRS = 200  # consecutive rows of one family looked at before a key set's layout is fixed


class Layout:
    """Which value positions the members of a family share, per key set (learned, then fixed)."""

    def __init__(self, learn_pairs: int = LEARN_PAIRS) -> None:
        self.learn_pairs = learn_pairs
        # key set -> positions still shared by every pair seen so far, and how many pairs were seen
        self._learning: dict[tuple[str, ...], tuple[list[bool], int]] = {}
        # key set -> (shared positions, own positions), or None when splitting does not pay
        self.fixed: dict[tuple[str, ...], tuple[tuple[int, ...], tuple[int, ...]] | None] = {}

    def learn(self, keys: tuple[str, ...], values: tuple[Any, ...], previous: tuple[Any, ...]) -> None:
        """One more pair of consecutive rows of the same family and key set."""
        same, pairs = self._learning.get(keys) or ([True] * len(keys), 0)
        same = [s and a is b for s, a, b in zip(same, values, previous, strict=True)]
        pairs += 1
        if pairs < self.learn_pairs:
            self._learning[keys] = (same, pairs)
            return
        del self._learning[keys]
        # Only immutable values are shared (compared with ==): a list or dict stays with each row.
        same = [s and not isinstance(v, list | dict | set) for s, v in zip(same, values, strict=True)]
        shared = tuple(i for i, s in enumerate(same) if s)
        own = tuple(i for i, s in enumerate(same) if not s)
        self.fixed[keys] = (shared, own) if len(shared) >= 2 and len(own) >= 2 else None


def _getter(positions: tuple[int, ...]) -> Any:
    return itemgetter(*positions)  # two positions or more (Layout.learn): always returns a tuple


def pack(results: Sequence[RowResult], layout: Layout | None = None) -> tuple[Any, ...]:
    """One batch of results as compact tuples (see the module's docstring). ``layout`` is kept by the
    sender across batches; without one each batch learns on its own."""
    if layout is None:
        layout = Layout()
    schemas: dict[tuple[str, ...], int] = {}
    own_of: dict[int, tuple[int, ...] | None] = {}
    getters: dict[tuple[str, ...], tuple[Any, Any] | None] = {}
    raw_schemas: dict[tuple[str, ...], int] = {}
    rows: list[tuple[Any, ...]] = []
    append = rows.append
    join = _SEP.join
    fixed = layout.fixed
    previous: tuple[Any, ...] = ()
    previous_sid = -1
    previous_family: object = None
    previous_shared: tuple[Any, ...] = ()
    for r in results:
        values = r.values
        keys = tuple(values)
        vals = tuple(values.values())
        sid = schemas.get(keys)
        if sid is None:
            sid = schemas[keys] = len(schemas)
            split = fixed.get(keys)
            own_of[sid] = split[1] if split else None
            getters[keys] = (_getter(split[0]), _getter(split[1])) if split else None
        family: object = r.family_key
        same_family = sid == previous_sid and family == previous_family and bool(family)
        kind, payload = _FULL, vals
        pair = getters.get(keys)
        if pair is not None:
            shared = pair[0](vals)
            if same_family and shared == previous_shared:
                kind, payload, family = _SAME_FAMILY, pair[1](vals), None
            previous_shared = shared
        elif same_family and keys not in fixed:
            layout.learn(keys, vals, previous)
        previous, previous_sid, previous_family = vals, sid, r.family_key
        raw = r.raw
        raw_keys = tuple(raw)
        rid = raw_schemas.get(raw_keys)
        if rid is None:
            rid = raw_schemas[raw_keys] = len(raw_schemas)
        cells: Any
        try:
            cells = join(raw.values())  # type: ignore[arg-type]  # TypeError unless all are str
            if cells.count(_SEP) != len(raw) - 1:
                cells = tuple(raw.values())
        except TypeError:
            cells = tuple(raw.values())
        append((r.line, sid, kind, payload, r.issues or None, r.ok, family, r.person_key, rid, cells))
    return list(schemas), [own_of[i] for i in range(len(schemas))], list(raw_schemas), rows


_raw_slot = RowResult.__dict__["raw"]  # the dataclass's slot for ``raw``


class PackedRow(RowResult):
    """A :class:`RowResult` whose raw cells become a dict only when ``raw`` is read: the importing
    process needs them for the few rows it keeps (findings, rejections), and building a 46-cell dict
    for every row costs about 3 µs. Equal to a plain ``RowResult`` field by field (``fields``)."""

    __slots__ = ("_cells", "_raw_keys")

    @property  # type: ignore[override]
    def raw(self) -> dict[str, object]:
        try:
            return _raw_slot.__get__(self)  # type: ignore[no-any-return]
        except AttributeError:
            cells, keys = _cells_of(self), _raw_keys_of(self)
            raw = dict(zip(keys, cells.split(_SEP) if type(cells) is str else cells, strict=True))
            _raw_slot.__set__(self, raw)
            return raw

    @raw.setter
    def raw(self, value: dict[str, object]) -> None:
        _raw_slot.__set__(self, value)


_cells_of, _raw_keys_of = (PackedRow.__dict__[name].__get__ for name in PackedRow.__slots__)
_new_packed = object.__new__
_set = {name: RowResult.__dict__[name].__set__ for name in RowResult.__slots__ if name != "raw"}
_set_line, _set_values, _set_issues, _set_ok = _set["line"], _set["values"], _set["issues"], _set["ok"]
_set_family_key, _set_person_key = _set["family_key"], _set["person_key"]
_set_cells, _set_raw_keys = (PackedRow.__dict__[name].__set__ for name in PackedRow.__slots__)


def fields(row: RowResult) -> tuple[Any, ...]:
    """A row's fields, for comparing a :class:`PackedRow` with a plain ``RowResult``."""
    return row.line, row.raw, row.values, row.issues, row.ok, row.family_key, row.person_key


def unpack(packed: tuple[Any, ...]) -> list[RowResult]:
    """The rows of a packed batch, in order, as :class:`PackedRow` objects."""
    schemas, owns, raw_schemas, rows = packed
    own_keys = [tuple(keys[i] for i in own) if own else () for keys, own in zip(schemas, owns, strict=True)]
    out: list[RowResult] = []
    append = out.append
    template: dict[str, object] = {}
    family_key: object = None
    for line, sid, kind, payload, issues, ok, family, person_key, rid, cells in rows:
        if kind == _FULL:
            # The next members copy this row's dict: nothing changes it before the batch is built.
            template = values = dict(zip(schemas[sid], payload, strict=True))
            family_key = family
        else:
            values = template.copy()
            values.update(zip(own_keys[sid], payload, strict=True))
        row = _new_packed(PackedRow)
        _set_line(row, line)
        _set_values(row, values)
        _set_issues(row, issues or [])
        _set_ok(row, ok)
        _set_family_key(row, family_key)
        _set_person_key(row, person_key)
        _set_cells(row, cells)
        _set_raw_keys(row, raw_schemas[rid])
        append(row)
    return out
