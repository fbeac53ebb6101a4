"""Reviewing linkage pairs in a real browser with the keyboard only: j/k move through the queue,
t accepts (Terima), b says "Bukan orang yang sama"; each decision shows the next pair."""

from __future__ import annotations

import datetime as dt

import pytest

from padu.accounts.models import Opd, Role
from padu.linkage.models import Link, ReviewDecision
from padu.programs.models import Roll, RollEntry
from padu.registry.models import Person
from padu.registry.services import FamilyRecord, MemberRecord, load_families
from tests.browser.test_shell import Watch, _ensure_regions
from tests.conftest import KEL_A1, PASSWORD, make_user
from tests.programs.conftest import make_programme

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PEOPLE = [
    ("SITI AMINAH", "3673014507550001", dt.date(1955, 7, 5)),
    ("ENAH", "3673014101480001", dt.date(1948, 1, 1)),
]


def _setup() -> tuple[Opd, list[int]]:
    _ensure_regions()
    opd = Opd.objects.get_or_create(code="dinsos", defaults={"name": "Dinas Sosial", "short_name": "Dinsos"})[
        0
    ]
    load_families(
        records=[
            FamilyRecord(
                kk="3673010101200001",
                kelurahan_code=KEL_A1,
                desil=1,
                extreme_poor=True,
                members=[
                    MemberRecord(
                        name=name,
                        relationship="kepala" if i == 0 else "orang_tua",
                        nik=nik,
                        sex="P",
                        birth_date=born,
                    )
                    for i, (name, nik, born) in enumerate(PEOPLE)
                ],
            )
        ],
        period="2026-10",
        source="dtsen",
        file_name="uji.csv",
    )
    roll = Roll.objects.create(
        programme=make_programme(opd, "lansia", name="Bansos Lanjut Usia"), period="2026-04"
    )
    links = []
    for row, (name, _nik, born) in enumerate(PEOPLE, start=2):
        entry = RollEntry.objects.create(
            roll=roll,
            row_number=row,
            name=name.title(),
            birth_date=born,
            sex="P",
            kelurahan_id=KEL_A1,
            content_hash=f"h{row}",
        )
        person = Person.objects.get(name=name)
        link = Link.objects.create(
            entry=entry,
            person=person,
            family_id=person.family_id,
            probability=0.93,
            match_weight=3.7,
            stage="probabilistic",
            decision="review",
            evidence_text="NIK kosong, nama sama, tanggal lahir sama",
        )
        links.append(link.pk)
    return opd, links


@pytest.mark.django_db(transaction=True)
def test_it_reviews_pairs_with_the_keyboard(page, live_server):
    opd, (first, second) = _setup()
    user = make_user("operator_dinsos_review", Role.OPD_OPERATOR, opd=opd)
    watch = Watch(page)
    page.goto("/akun/masuk/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    page.locator("nav.mainnav").get_by_role("link", name="Pencocokan").click()
    page.wait_for_url(f"{live_server.url}/pencocokan/")
    page.get_by_test_id("review-link").click()
    page.wait_for_url(f"{live_server.url}/pencocokan/tinjau/")
    panel = page.get_by_test_id("review-panel")
    assert "t</kbd>" in page.get_by_test_id("shortcuts").inner_html()
    assert panel.get_attribute("data-link") == str(first)
    assert "Siti Aminah" in page.get_by_test_id("list-record").inner_text()
    assert "SITI AMINAH" in page.get_by_test_id("registry-record").inner_text()
    assert "nama sama" in page.get_by_test_id("evidence").inner_text()

    page.keyboard.press("j")
    page.wait_for_selector(f'[data-testid="review-panel"][data-link="{second}"]')
    page.keyboard.press("k")
    page.wait_for_selector(f'[data-testid="review-panel"][data-link="{first}"]')
    page.keyboard.press("t")
    page.wait_for_selector(f'[data-testid="review-panel"][data-link="{second}"]')
    assert Link.objects.get(pk=first).decision == "accepted"
    assert RollEntry.objects.get(link__pk=first).person_id is not None
    page.keyboard.press("b")
    page.wait_for_selector('[data-testid="queue-empty"]')
    assert dict(ReviewDecision.objects.values_list("verdict", "actor__username")) == {
        "accepted": user.username,
        "not_same": user.username,
    }
    assert Link.objects.get(pk=second).decision == "rejected"
    assert not watch.failures, f"failed requests: {watch.failures}"
    assert not watch.errors, f"JavaScript errors: {watch.errors}"
