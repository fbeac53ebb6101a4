"""A tiny hand-made city in the contract's tables (default names), and reading findings back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from padu.targeting.engine import AsnTable, RunResult, TargetingSchema, run_targeting
from padu.targeting.engine.dialect import Db, detect_dialect
from padu.targeting.engine.synthload import TABLES, create_contract_tables

PERIOD = "2025-06"
KEL = "36.73.01.1001"


def day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


class World:
    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.db = Db(conn, detect_dialect(conn))
        create_contract_tables(conn)
        self._entry = 0
        self.schema = TargetingSchema()

    def _insert(self, table: str, values: dict[str, Any]) -> None:
        cols = [c for c, _ in TABLES[table] if c in values]
        marks = ", ".join("?" * len(cols))
        self.db.execute(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", tuple(values[c] for c in cols)
        )

    def family(
        self,
        id: int,
        *,
        desil: int = 2,
        status: str = "aktif",
        kel: str = KEL,
        extreme_poor: bool = False,
        house_owned: bool = False,
        house_unfit: bool = False,
    ) -> int:
        self._insert(
            "tg_family",
            {
                "id": id,
                "desil": desil,
                "status": status,
                "kelurahan_code": kel,
                "extreme_poor": extreme_poor,
                "house_owned": house_owned,
                "house_unfit": house_unfit,
            },
        )
        return id

    def person(
        self,
        id: int,
        family: int,
        *,
        status: str = "aktif",
        nik: str | None = None,
        birth: str = "1980-01-01",
        sex: str = "L",
        relationship: str = "kepala",
        death: str | None = None,
        pregnant: bool = False,
        disability: bool = False,
        in_school: bool = False,
    ) -> int:
        self._insert(
            "tg_person",
            {
                "id": id,
                "family_id": family,
                "status": status,
                "nik": nik,
                "death_date": day(death),
                "birth_date": day(birth),
                "sex": sex,
                "kelurahan_code": None,
                "relationship": relationship,
                "is_pregnant": pregnant,
                "disability": disability,
                "in_school": in_school,
            },
        )
        return id

    def programme(
        self,
        id: int,
        code: str,
        *,
        unit: str = "person",
        value: int = 100_000,
        frequency: str = "monthly",
        per_year: int | None = None,
        strategy: str = "pengurangan_beban",
        targeting: str = "quota",
        max_desil: int | None = 4,
        statuses: str | None = None,
        min_age: int | None = None,
        max_age: int | None = None,
        min_months: int | None = None,
        max_months: int | None = None,
        sex: str | None = None,
        categories: str | None = None,
        recipient: str | None = None,
        opd: str = "dinsos",
    ) -> int:
        self._insert(
            "tg_programme",
            {
                "id": id,
                "code": code,
                "opd": opd,
                "unit": unit,
                "benefit_value_rp": value,
                "benefit_frequency": frequency,
                "payments_per_year": per_year,
                "strategy": strategy,
                "targeting": targeting,
                "max_desil": max_desil,
                "statuses": statuses,
                "min_age": min_age,
                "max_age": max_age,
                "min_age_months": min_months,
                "max_age_months": max_months,
                "sex": sex,
                "categories": categories,
                "recipient": recipient,
            },
        )
        return id

    def entry(
        self,
        programme: int,
        *,
        person: int | None = None,
        family: int | None = None,
        row: int | None = None,
        period: str = PERIOD,
        link: str | None = None,
        nik: str | None = None,
        kel: str | None = None,
        amount: int | None = None,
    ) -> int:
        self._entry += 1
        linked = "matched" if person is not None or family is not None else "unmatched"
        self._insert(
            "tg_roll_entry",
            {
                "id": self._entry,
                "programme_id": programme,
                "period": period,
                "row_number": row if row is not None else self._entry,
                "person_id": person,
                "family_id": family,
                "link_status": link or linked,
                "nik": nik,
                "name": "X",
                "kelurahan_code": kel,
                "benefit_rp": amount,
            },
        )
        return self._entry

    def exclusive(self, a: int, b: int) -> None:
        self._insert("tg_programme_exclusion", {"programme_a_id": a, "programme_b_id": b})

    def asn(self, *, nik: str | None = None, person: int | None = None) -> None:
        self.schema = TargetingSchema(asn=AsnTable())
        self._insert("tg_asn", {"nik": nik, "person_id": person})

    def run(self, period: str = PERIOD, **kw: Any) -> RunResult:
        self.conn.commit()
        return run_targeting(self.conn, self.schema, period, **kw)

    def findings(self, finding_type: str | None = None, period: str = PERIOD) -> list[dict[str, Any]]:
        cols = (
            "finding_type",
            "category",
            "severity",
            "programme_id",
            "roll_entry_id",
            "other_roll_entry_id",
            "person_id",
            "family_id",
            "kelurahan_code",
            "desil",
            "strategy",
            "rupiah_month",
            "rupiah_year",
            "detail",
        )
        where, params = "period = ?", [period]
        if finding_type:
            where += " AND finding_type = ?"
            params.append(finding_type)
        rows = self.db.query(
            f"SELECT {', '.join(cols)} FROM tg_finding WHERE {where} ORDER BY id", tuple(params)
        )
        return [dict(zip(cols, r, strict=True)) for r in rows]
