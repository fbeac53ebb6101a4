"""Monthly cut-off: submitted on or before the 17th → that month's period; after it → the next month's."""

from __future__ import annotations

import datetime as dt

import pytest

from padu.verivali import periods, services
from tests.verivali.conftest import at


@pytest.mark.parametrize(
    ("moment", "period"),
    [
        (at(2026, 3, 16), "2026-03"),
        (at(2026, 3, 17, 23, 30), "2026-03"),  # still the 17th in Jakarta (16:30 UTC)
        (at(2026, 3, 18), "2026-04"),
        (at(2026, 12, 18), "2027-01"),
        (at(2026, 12, 17), "2026-12"),
    ],
    ids=["16th", "17th-late-evening", "18th", "december-18th", "december-17th"],
)
def test_it_groups_a_submitted_batch_by_the_cutoff(batch, kel_operator_in, clock, moment, period):
    clock.move_to(moment, tick=False)
    services.submit_batch(actor=kel_operator_in, batch=batch)
    batch.refresh_from_db()
    assert batch.period == period
    assert batch.deadline == dt.date(int(period[:4]), int(period[5:7]), 17)


def test_it_follows_the_configured_cutoff_day(settings, batch, kel_operator_in, clock):
    settings.VERIVALI_CUTOFF_DAY = 10
    clock.move_to(at(2026, 3, 11), tick=False)
    services.submit_batch(actor=kel_operator_in, batch=batch)
    batch.refresh_from_db()
    assert batch.period == "2026-04"


def test_it_shows_the_period_and_deadline(registry, login, kel_operator_in, clock):
    clock.move_to(at(2026, 3, 18), tick=False)
    page = login(kel_operator_in).get("/verivali/").content.decode()
    assert "April 2026" in page and "17-04-2026" in page


def test_it_computes_periods_without_django():
    assert periods.period_for(dt.date(2026, 1, 31), 28) == "2026-02"
    assert periods.deadline("2027-01", 17) == dt.date(2027, 1, 17)


def test_it_bounds_the_cutoff_setting():
    from django.core.exceptions import ImproperlyConfigured

    from padu.config.env import env_int

    with pytest.raises(ImproperlyConfigured, match="PADU_VERIVALI_CUTOFF_DAY"):
        env_int(
            "PADU_VERIVALI_CUTOFF_DAY", 17, minimum=1, maximum=28, environ={"PADU_VERIVALI_CUTOFF_DAY": "29"}
        )
