"""Linkage pages by persona: the review queue is scoped (OPD: own programmes; kelurahan operator: own
kelurahan; viewer: none), decisions move to the next item, personal-data views are audited."""

from __future__ import annotations

import pytest

from padu.core.models import AuditLog
from padu.linkage.models import Link, ReviewDecision
from padu.registry.models import Family
from tests.conftest import KEL_A1
from tests.linkage.conftest import make_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(linked):
    """Two review items of a Dinsos programme and one of a Dinkes programme, all in KEL_A1."""
    return {
        "pkh": make_review("pkh", 2, kelurahan=KEL_A1),
        "pmt": make_review("pmt_balita", 1, kelurahan=KEL_A1),
    }


def _shown(response) -> int | None:
    link = response.context["link"]
    return link.pk if link is not None else None


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("bappeda_admin", {"pkh", "pmt"}),
        ("analyst", {"pkh", "pmt"}),
        ("opd_operator", {"pkh"}),
        ("opd_operator_other", {"pmt"}),
        ("kel_operator_in", {"pkh", "pmt"}),
        ("kel_operator_out", set()),
        ("viewer", set()),
    ],
)
def test_it_scopes_the_review_queue_by_persona(request, queue, login, persona, sees):
    client = login(request.getfixturevalue(persona))
    response = client.get("/pencocokan/tinjau/")
    assert response.status_code == 200
    expected = sum(len(queue[k]) for k in sees)
    assert response.context["remaining"] == expected
    if not sees:
        assert _shown(response) is None
        assert 'data-testid="queue-empty"' in response.content.decode()
    else:
        assert _shown(response) in {i for k in sees for i in queue[k]}
    # a link outside the scope cannot be opened or decided by id
    outside = [i for k in {"pkh", "pmt"} - sees for i in queue[k]]
    for link_id in outside:
        assert _shown(client.get("/pencocokan/tinjau/", {"id": link_id})) != link_id
        assert client.post(f"/pencocokan/tinjau/{link_id}/", {"verdict": "accepted"}).status_code == 404
    assert not ReviewDecision.objects.exists()


def test_it_shows_both_records_masks_nik_for_the_role_and_audits_the_view(queue, login, opd_operator):
    client = login(opd_operator)
    response = client.get("/pencocokan/tinjau/")
    html = response.content.decode()
    link = Link.objects.select_related("entry", "person").get(pk=_shown(response))
    assert 'data-testid="list-record"' in html and 'data-testid="registry-record"' in html
    assert link.person.name in html and link.evidence_text.split(",")[0] in html
    assert "t</kbd>" in html and "Bukan orang yang sama" in html
    if link.entry.nik:
        assert (link.entry.nik in html) == opd_operator.may_see_full_nik
    log = AuditLog.objects.filter(object_type="linkage.link", action="view", actor=opd_operator).get()
    assert log.detail["link"] == link.pk


def test_it_moves_to_the_next_item_after_a_decision(queue, login, opd_operator):
    client = login(opd_operator)
    first, second = queue["pkh"]
    response = client.post(f"/pencocokan/tinjau/{first}/", {"verdict": "not_same"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert _shown(response) == second
    assert ReviewDecision.objects.get().verdict == "not_same"
    assert Link.objects.get(pk=first).decision == "rejected"
    # without HTMX: redirect to the next item
    response = client.post(f"/pencocokan/tinjau/{second}/", {"verdict": "accepted"})
    assert response.status_code == 302 and "/pencocokan/tinjau/" in response["Location"]
    assert client.get(response["Location"]).context["remaining"] == 0
    assert AuditLog.objects.filter(object_type="linkage.link", action="update").count() == 2


def test_it_summarises_each_programme_and_lists_unmatched_recipients(linked, login, opd_operator, viewer):
    response = login(opd_operator).get("/pencocokan/")
    rows = {r["programme"].code: r for r in response.context["rows"]}
    assert rows["pkh"]["auto"] > 0 and rows["pkh"]["entries"] >= rows["pkh"]["auto"]
    assert rows["pmt_balita"]["links"] == 0  # another OPD's rows: no counts by name for Dinsos
    page = login(opd_operator).get("/pencocokan/tidak-ditemukan/")
    codes = {link.entry.roll.programme.code for link in page.context["page"].object_list}
    assert codes <= {"pkh", "bpnt", "pbi_jk", "blt", "lansia"}
    assert list(login(viewer).get("/pencocokan/tidak-ditemukan/").context["page"].object_list) == []
    assert login(viewer).get("/pencocokan/konflik-nik/").status_code == 200


def test_it_shows_linked_benefits_on_the_family_profile(linked, login, bappeda_admin):
    link = (
        Link.objects.filter(decision="auto", family__isnull=False)
        .select_related("entry__roll__programme")
        .first()
    )
    family = Family.objects.get(pk=link.family_id)
    html = login(bappeda_admin).get(f"/registri/keluarga/{family.pk}/").content.decode()
    assert 'data-testid="family-benefits"' in html
    assert link.entry.roll.programme.name in html


def test_it_starts_a_run_and_shows_its_status(linked, login, bappeda_admin, opd_operator):
    response = login(bappeda_admin).post("/pencocokan/jalankan/", {})
    assert response.status_code == 302
    status = login(bappeda_admin).get(response["Location"])
    assert status.context["run"].status == "done"
    assert 'data-testid="run-counts"' in status.content.decode()
    assert login(opd_operator).post("/pencocokan/jalankan/", {}).status_code == 403


def test_it_serves_the_queue_and_takes_decisions_over_the_api(
    queue, login, opd_operator, kel_operator_out, viewer
):
    client = login(opd_operator)
    items = client.get("/api/pencocokan/tinjau/").json()
    items = items.get("results", items) if isinstance(items, dict) else items
    assert [item["id"] for item in items] == queue["pkh"]
    assert items[0]["registry_record"]["name"]
    assert AuditLog.objects.filter(
        object_type="linkage.link", action="view", detail__api="review_queue"
    ).exists()
    for other in (kel_operator_out, viewer):
        other_items = login(other).get("/api/pencocokan/tinjau/").json()
        assert not (other_items.get("results", other_items) if isinstance(other_items, dict) else other_items)
    client = login(opd_operator)
    response = client.post(f"/api/pencocokan/tinjau/{queue['pkh'][0]}/", {"verdict": "accepted"})
    assert response.status_code == 200 and response.json()["decision"] == "accepted"
    assert (
        client.post(f"/api/pencocokan/tinjau/{queue['pmt'][0]}/", {"verdict": "accepted"}).status_code == 404
    )
    summary = {row["programme"]: row for row in client.get("/api/pencocokan/").json()}
    assert summary["pkh"]["accepted"] == 1
