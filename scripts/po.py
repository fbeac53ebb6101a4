#!/usr/bin/env python
"""A tiny gettext catalogue tool, so that Padu's translations need nothing beyond Python.

    python scripts/po.py todo PO            list untranslated or fuzzy entries (exit 1 if any)
    python scripts/po.py fix-headers PO...  un-fuzzy the header, set charset and plural forms
    python scripts/po.py compile PO...      write the .mo beside each PO (like msgfmt)
    python scripts/po.py fill PO JSON       fill empty msgstr from a {"msgid": "English"} file
    python scripts/po.py clear-fuzzy PO...  turn msgmerge's fuzzy guesses into empty entries
    python scripts/po.py sync PO...         rewrite a .mo only if its messages differ from the PO

``tests/test_i18n.py`` uses ``parse`` from this file.
"""

from __future__ import annotations

import ast
import gettext
import io
import itertools
import json
import shutil
import struct
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

PLURAL_FORMS = {
    "en": "nplurals=2; plural=(n != 1);",
    "id": "nplurals=1; plural=0;",
}


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def _unquote(text: str) -> str:
    return ast.literal_eval(text) if text.startswith('"') else text


def parse(path: str | Path) -> list[Entry]:
    """Entries of a .po file (one per blank-line separated block, as gettext tools write them)."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None
    started = False

    def finish() -> None:
        nonlocal entry, started, target
        if started:
            entries.append(entry)
        entry, started, target = Entry(), False, None

    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            entry.obsolete = True
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgctxt":
            started, target = True, ("msgctxt", 0)
            entry.msgctxt = _unquote(rest)
        elif keyword == "msgid":
            started, target = True, ("msgid", 0)
            entry.msgid = _unquote(rest)
        elif keyword == "msgid_plural":
            target = ("msgid_plural", 0)
            entry.msgid_plural = _unquote(rest)
        elif keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            target = ("msgstr", index)
            entry.msgstr[index] = _unquote(rest)
        elif line.startswith('"') and target:
            text = _unquote(line)
            kind, index = target
            if kind == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + text
            elif kind == "msgid":
                entry.msgid += text
            elif kind == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + text
            else:
                entry.msgstr[index] += text
    finish()
    return entries


def todo(path: str | Path) -> list[Entry]:
    """Entries (header and obsolete ones excepted) that still need an English translation."""
    return [e for e in parse(path)
            if e.msgid and not e.obsolete and (e.fuzzy or not e.translated)]


def fix_headers(path: str | Path) -> None:
    """Drop the header's fuzzy flag and fill in language, charset and plural forms."""
    path = Path(path)
    language = path.parent.parent.name
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    in_header = True
    for index, line in enumerate(lines):
        if in_header and line.strip() == "":
            in_header = False
        if in_header:
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if line.startswith("#, fuzzy") and following.startswith('msgid ""'):
                continue
            if line.startswith('"Language: '):
                line = f'"Language: {language}\\n"'
            elif line.startswith('"Content-Type: '):
                line = '"Content-Type: text/plain; charset=UTF-8\\n"'
            elif line.startswith('"Plural-Forms: ') and language in PLURAL_FORMS:
                line = f'"Plural-Forms: {PLURAL_FORMS[language]}\\n"'
            elif line.startswith("# SOME DESCRIPTIVE TITLE"):
                line = "# Padu — katalog terjemahan / translation catalogue."
            elif line.startswith("# Copyright (C) YEAR"):
                line = "# Copyright (C) Padu contributors (MIT)"
            elif line.startswith("# This file is distributed under the same license"):
                line = "# This file is distributed under the MIT licence, like Padu."
            elif line.startswith("# FIRST AUTHOR"):
                continue
        out.append(line)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def fill(path: str | Path, translations: dict[str, str | list[str]]) -> int:
    """Fill empty msgstr from ``translations`` (a list of forms for plural entries); returns how
    many entries were filled."""
    path = Path(path)
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    filled = 0
    for index, block in enumerate(blocks):
        lines = block.rstrip("\n").split("\n")
        empty = [i for i, ln in enumerate(lines)
                 if ln == 'msgstr ""' or (ln.startswith("msgstr[") and ln.endswith('] ""'))]
        if not empty or empty[-1] != len(lines) - 1 or any(ln.startswith("#~") for ln in lines):
            continue
        tmp = path.with_suffix(".tmp.po")
        tmp.write_text(block + "\n", encoding="utf-8")
        try:
            entries = parse(tmp)
        finally:
            tmp.unlink()
        if len(entries) != 1 or not entries[0].msgid:
            continue
        value = translations.get(entries[0].msgid)
        if not value:
            continue
        if entries[0].msgid_plural is None and isinstance(value, str):
            lines[-1] = "msgstr " + _quote(value)
        elif entries[0].msgid_plural is not None and isinstance(value, list):
            for n, i in enumerate(empty):
                lines[i] = f"msgstr[{n}] " + _quote(value[min(n, len(value) - 1)])
        else:
            continue
        blocks[index] = "\n".join(lines) + ("\n" if block.endswith("\n") else "")
        filled += 1
    path.write_text("\n\n".join(blocks), encoding="utf-8")
    return filled


def clear_fuzzy(path: str | Path) -> int:
    """msgmerge guesses a translation from a similar msgid and marks it fuzzy; such guesses are
    usually wrong ("Kata sandi" for "Ulangi kata sandi"), so empty them for a real translation."""
    path = Path(path)
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    cleared = 0
    for index, block in enumerate(blocks):
        lines = block.split("\n")
        fuzzy = any(ln.startswith("#,") and "fuzzy" in ln for ln in lines)
        header = any(ln == 'msgid ""' and nxt.startswith("msgstr")
                     for ln, nxt in itertools.pairwise(lines))
        if not fuzzy or header or any(ln.startswith("#~") for ln in lines):
            continue
        out: list[str] = []
        in_msgstr = False
        for line in lines:
            if line.startswith("#,"):
                flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
                if flags:
                    out.append("#, " + ", ".join(flags))
                continue
            if line.startswith("#|"):
                continue
            if line.startswith("msgstr"):
                in_msgstr = True
                keyword = line.split(" ", 1)[0]
                out.append(f'{keyword} ""')
                continue
            if in_msgstr and line.startswith('"'):
                continue
            in_msgstr = False
            out.append(line)
        blocks[index] = "\n".join(out)
        cleared += 1
    path.write_text("\n\n".join(blocks), encoding="utf-8")
    return cleared


def _messages(mo_bytes: bytes) -> dict[object, str]:
    catalog = dict(gettext.GNUTranslations(io.BytesIO(mo_bytes))._catalog)  # type: ignore[attr-defined]
    catalog.pop("", None)  # the header: msgfmt and this compiler write it slightly differently
    return catalog


def sync(path: str | Path) -> bool:
    """Recompile ``path``'s .mo (with msgfmt where installed) only when its messages changed, so
    that a fresh checkout does not rewrite committed .mo files; returns whether it wrote one."""
    path = Path(path)
    mo = path.with_suffix(".mo")
    fresh = mo.with_name(mo.name + ".new")
    compile_mo(path, fresh)
    try:
        if mo.exists() and _messages(mo.read_bytes()) == _messages(fresh.read_bytes()):
            mo.touch()
            return False
        msgfmt = shutil.which("msgfmt")
        if msgfmt:
            subprocess.run([msgfmt, "--check-format", "-o", str(mo), str(path)], check=True)
        else:
            fresh.replace(mo)
        return True
    finally:
        fresh.unlink(missing_ok=True)


def compile_mo(path: str | Path, target: Path | None = None) -> Path:
    """Write the .mo for ``path`` the way msgfmt does (fuzzy and untranslated entries left out)."""
    messages: dict[str, str] = {}
    for e in parse(path):
        if e.obsolete or (e.msgid and (e.fuzzy or not e.translated)):
            continue
        key = e.msgid if e.msgid_plural is None else e.msgid + "\0" + e.msgid_plural
        if e.msgctxt is not None:
            key = e.msgctxt + "\x04" + key
        value = "\0".join(e.msgstr[i] for i in sorted(e.msgstr))
        messages[key] = value
    keys = sorted(messages, key=lambda k: k.encode("utf-8"))
    ids = strs = b""
    offsets = []
    for key in keys:
        k, v = key.encode("utf-8"), messages[key].encode("utf-8")
        offsets.append((len(ids), len(k), len(strs), len(v)))
        ids += k + b"\0"
        strs += v + b"\0"
    count = len(keys)
    keystart = 7 * 4 + 16 * count
    valuestart = keystart + len(ids)
    koffsets: list[int] = []
    voffsets: list[int] = []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + keystart]
        voffsets += [l2, o2 + valuestart]
    output = struct.pack("Iiiiiii", 0x950412DE, 0, count, 7 * 4, 7 * 4 + count * 8, 0, 0)
    output += struct.pack(f"{len(koffsets)}i", *koffsets)
    output += struct.pack(f"{len(voffsets)}i", *voffsets)
    output += ids + strs
    mo = target or Path(path).with_suffix(".mo")
    mo.write_bytes(output)
    return mo


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "fill":
        translations = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
        sys.stdout.write(f"diisi / filled: {fill(argv[1], translations)}\n")
        return 0
    if len(argv) < 2 or argv[0] not in {"todo", "fix-headers", "compile", "clear-fuzzy", "sync"}:
        sys.stderr.write(__doc__ or "")
        return 2
    command, paths = argv[0], argv[1:]
    status = 0
    for path in paths:
        if command == "fix-headers":
            fix_headers(path)
        elif command == "sync":
            if sync(path):
                sys.stdout.write(f"dikompilasi / compiled: {Path(path).with_suffix('.mo')}\n")
        elif command == "clear-fuzzy":
            sys.stdout.write(f"{path}: {clear_fuzzy(path)} fuzzy dikosongkan / emptied\n")
        elif command == "compile":
            sys.stdout.write(f"ditulis / written: {compile_mo(path)}\n")
        else:
            missing = todo(path)
            for e in missing:
                state = "fuzzy" if e.fuzzy else "belum diterjemahkan / untranslated"
                sys.stdout.write(f"{path}: {state}: {e.msgid!r}\n")
            if missing:
                status = 1
            else:
                sys.stdout.write(f"{path}: lengkap / complete\n")
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
