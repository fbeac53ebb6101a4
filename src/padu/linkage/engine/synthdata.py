"""Load a :mod:`padu.synth` output folder as linkage inputs with ground truth (tests, benchmark).

``load_synth(folder)`` returns the registry (canonical columns, ``record_id`` = ``id_art``), the twelve
lists stacked into one left table (``record_id`` = ``"<programme>:<file_row>"``, plus a ``programme``
column) and the truth pairs ``{left record_id: id_art}`` (non-residents have no pair).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from padu.linkage.engine.io import ROLES, read_records, read_registry_csv

_SYNTH_ROLES = {"nik": "id_number", "kelurahan_code": "region_code", "address_rt_rw": "address"}


@dataclass
class SynthData:
    registry: pd.DataFrame
    lists: pd.DataFrame
    truth: dict[str, str]
    programmes: dict[str, str]  # code -> unit (person / family)


def list_mapping(programme: dict[str, object]) -> dict[str, list[str]]:
    raw = programme["column_mapping"]
    assert isinstance(raw, dict)
    out: dict[str, list[str]] = {}
    for key, header in raw.items():
        role = _SYNTH_ROLES.get(key, key)
        if role in ROLES and role != "record_id":
            out[role] = [str(header)]
    return out


def load_synth(folder: str | Path, *, programmes: set[str] | None = None) -> SynthData:
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    registry = read_registry_csv(folder / "registry" / "dtsen_registry.csv")
    frames = []
    units = {}
    for programme in manifest["programmes"]:
        code = programme["code"]
        if programmes is not None and code not in programmes:
            continue
        units[code] = programme["unit"]
        frame = read_records(
            folder / programme["file"], list_mapping(programme), sheet=programme.get("sheet_name")
        )
        frame["record_id"] = code + ":" + frame["record_id"].astype(str)
        frame["programme"] = code
        frames.append(frame)
    lists = pd.concat(frames, ignore_index=True)
    truth: dict[str, str] = {}
    with (folder / "truth" / "list_identities.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["id_art"] and (programmes is None or row["programme"] in programmes):
                truth[f"{row['programme']}:{row['file_row']}"] = row["id_art"]
    return SynthData(registry, lists, truth, units)
