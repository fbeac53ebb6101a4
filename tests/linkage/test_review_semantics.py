"""The three verdicts mean different things, and a verdict can be undone.

* Terima: the pair is linked; re-linking keeps it.
* Bukan orang yang sama: this candidate is someone else; re-linking never proposes it again but may
  propose the row's next candidate (for review).
* Tolak: the row is turned down (the recipient is not in the registry); re-linking proposes nobody.
* Undo: the latest verdict is withdrawn (audited) and the pair is back in the queue; re-linking then
  follows the engine again.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from padu.core.models import AuditLog
from padu.linkage import selectors, services
from padu.linkage.choices import Decision, Verdict
from padu.linkage.models import Link, ReviewDecision
from padu.linkage.resolve import ROW_REJECTED_TEXT
from padu.programs.models import RollEntry
from tests.conftest import KEL_A1
from tests.linkage.conftest import make_review

pytestmark = pytest.mark.django_db


def _links(roll):
    return {link.entry_id: link for link in Link.objects.filter(entry__roll=roll)}


def test_tolak_turns_down_the_row_and_bukan_orang_yang_sama_only_the_candidate(linked, opd_operator):
    tolak_id, not_same_id = make_review("pkh", 2)
    tolak, not_same = (Link.objects.select_related("entry__roll").get(pk=i) for i in (tolak_id, not_same_id))
    proposed = {tolak.entry_id: tolak.person_id, not_same.entry_id: not_same.person_id}
    services.record_review_decision(actor=opd_operator, link=tolak, verdict=Verdict.REJECTED)
    services.record_review_decision(actor=opd_operator, link=not_same, verdict=Verdict.NOT_SAME)

    roll = tolak.entry.roll
    services.link_roll(actor=None, roll=roll)
    again = _links(roll)
    row = again[tolak.entry_id]
    assert row.decision == Decision.REJECTED and row.person_id is None
    assert row.evidence_text == ROW_REJECTED_TEXT and row.reviewed_by == opd_operator
    assert row in selectors.unmatched(user=opd_operator, programme="pkh")  # listed as not found
    other = again[not_same.entry_id]
    assert other.person_id != proposed[not_same.entry_id]
    # the next candidate (if the engine had one above the lower threshold) waits for review, never auto
    assert other.decision in {Decision.REVIEW, Decision.REJECTED}
    assert other.decision != Decision.REVIEW or other.stage == "next"
    assert RollEntry.objects.get(pk=tolak.entry_id).person_id is None


def test_undo_returns_the_pair_to_the_queue_and_is_audited(linked, opd_operator):
    (link_id,) = make_review("pkh", 1)
    link = Link.objects.select_related("entry").get(pk=link_id)
    person = link.person_id
    services.record_review_decision(actor=opd_operator, link=link, verdict=Verdict.ACCEPTED)
    assert RollEntry.objects.get(pk=link.entry_id).person_id == person
    assert selectors.last_decided(user=opd_operator).pk == link_id
    assert link_id not in set(selectors.review_queue(user=opd_operator).values_list("id", flat=True))

    undone = services.undo_review_decision(actor=opd_operator, link=link)
    assert undone.decision == Decision.REVIEW and undone.person_id == person and undone.reviewed_by is None
    assert not ReviewDecision.objects.exists()
    assert RollEntry.objects.get(pk=link.entry_id).person_id is None
    assert link_id in set(selectors.review_queue(user=opd_operator).values_list("id", flat=True))
    log = AuditLog.objects.filter(object_type="linkage.link", object_id=str(link_id)).order_by("pk").last()
    assert log.actor == opd_operator and log.detail["undo"]["verdict"] == "accepted"
    assert log.before["decision"] == "accepted" and log.after["decision"] == "review"
    with pytest.raises(ValidationError):  # nothing left to undo
        services.undo_review_decision(actor=opd_operator, link=link)


def test_undo_of_a_rejection_restores_the_person_and_relinking_follows_the_engine_again(linked, opd_operator):
    (link_id,) = make_review("pkh", 1)
    link = Link.objects.select_related("entry__roll").get(pk=link_id)
    person = link.person_id
    services.record_review_decision(actor=opd_operator, link=link, verdict=Verdict.NOT_SAME)
    services.link_roll(actor=None, roll=link.entry.roll)
    assert _links(link.entry.roll)[link.entry_id].person_id != person

    current = Link.objects.get(entry_id=link.entry_id)
    services.undo_review_decision(actor=opd_operator, link=current)
    current.refresh_from_db()
    assert current.person_id == person and current.decision == Decision.REVIEW
    services.link_roll(actor=None, roll=link.entry.roll)
    # make_review had turned an auto link into a review item: without the verdict the engine links it again
    assert _links(link.entry.roll)[link.entry_id].person_id == person
    assert _links(link.entry.roll)[link.entry_id].decision == Decision.AUTO


def test_undo_is_refused_outside_the_reviewers_scope(linked, opd_operator, opd_operator_other, viewer):
    (link_id,) = make_review("pkh", 1)
    link = Link.objects.get(pk=link_id)
    services.record_review_decision(actor=opd_operator, link=link, verdict=Verdict.REJECTED)
    for user in (opd_operator_other, viewer):
        with pytest.raises(PermissionDenied):
            services.undo_review_decision(actor=user, link=link)
    assert ReviewDecision.objects.count() == 1


def test_the_review_page_offers_undo_of_the_last_decision(linked, login, opd_operator):
    first, second = make_review("pkh", 2, kelurahan=KEL_A1)
    client = login(opd_operator)
    response = client.post(f"/pencocokan/tinjau/{first}/", {"verdict": "rejected"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.context["last"].pk == first
    assert 'data-testid="undo"' in html and 'data-key="u"' in html
    response = client.post(f"/pencocokan/tinjau/{first}/batal/", HTTP_HX_REQUEST="true")
    assert response.context["link"].pk == first  # the pair is shown again, back in the queue
    assert response.context["remaining"] == 2
    assert not ReviewDecision.objects.exists()
    # the API does the same
    client.post(f"/pencocokan/tinjau/{second}/", {"verdict": "accepted"})
    api = client.post(f"/api/pencocokan/tinjau/{second}/batal/")
    assert api.status_code == 200 and api.json()["decision"] == "review"
    assert client.post(f"/api/pencocokan/tinjau/{second}/batal/").status_code == 400
