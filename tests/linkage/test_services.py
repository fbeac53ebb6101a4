"""Linkage services on a small generated city: links fill the list rows, reviewers' verdicts are kept
per programme and row identity and re-linking respects them, also after a re-upload."""

from __future__ import annotations

import pytest

from padu.core.models import AuditLog
from padu.linkage import services
from padu.linkage.choices import Decision, Verdict
from padu.linkage.models import Link, LinkRun, ReviewDecision
from padu.programs.models import RollEntry
from tests.linkage.conftest import make_review

pytestmark = pytest.mark.django_db


def test_it_links_every_entry_and_fills_person_and_family(linked, settings):
    assert linked.status == "done"
    entries = RollEntry.objects.count()
    assert Link.objects.count() == entries == linked.counts["left"]
    auto = Link.objects.filter(decision=Decision.AUTO)
    assert auto.count() > 0.9 * entries
    filled = RollEntry.objects.filter(person__isnull=False)
    assert filled.count() == auto.count()
    assert not filled.filter(family__isnull=True).exists()
    sample = auto.select_related("entry", "person").first()
    assert sample.entry.person_id == sample.person_id and sample.family_id == sample.person.family_id
    assert (settings.DATA_DIR / "linkage" / "model.json").exists()
    assert linked.model_version and linked.timings["total"] > 0
    assert AuditLog.objects.filter(object_type="linkage.linkrun", object_id=str(linked.pk)).exists()
    assert AuditLog.objects.filter(object_type="linkage.model").exists()


def test_it_links_again_without_changes_and_without_duplicates(linked):
    before = dict(Link.objects.values_list("entry_id", "person_id"))
    roll = RollEntry.objects.first().roll
    run = services.link_roll(actor=None, roll=roll)
    assert run.counts["left"] == roll.entries.count()
    assert dict(Link.objects.values_list("entry_id", "person_id")) == before
    assert LinkRun.objects.count() == 2


def test_it_never_asks_a_decision_twice_and_relinking_respects_it(linked, opd_operator):
    accept_id, reject_id, other_id = make_review("pkh", 3)
    accept, reject, other = (
        Link.objects.select_related("entry").get(pk=i) for i in (accept_id, reject_id, other_id)
    )
    services.record_review_decision(actor=opd_operator, link=accept, verdict=Verdict.ACCEPTED)
    services.record_review_decision(actor=opd_operator, link=reject, verdict=Verdict.NOT_SAME)
    rejected_person = reject.person_id
    assert ReviewDecision.objects.count() == 2
    accept.refresh_from_db()
    reject.refresh_from_db()
    assert accept.decision == Decision.ACCEPTED and accept.reviewed_by == opd_operator
    assert accept.entry.person_id == accept.person_id
    assert reject.decision == Decision.REJECTED and reject.person_id is None
    assert RollEntry.objects.get(pk=reject.entry_id).person_id is None

    services.link_roll(actor=None, roll=accept.entry.roll)
    again = {link.entry_id: link for link in Link.objects.filter(entry__roll=accept.entry.roll)}
    assert again[accept.entry_id].decision == Decision.ACCEPTED
    assert again[accept.entry_id].person_id == accept.person_id
    assert again[reject.entry_id].person_id != rejected_person
    assert again[reject.entry_id].decision in {Decision.REJECTED, Decision.REVIEW}
    # the untouched review item was an auto link: the engine proposes it again
    assert again[other.entry_id].decision == Decision.AUTO


def test_it_keeps_decisions_after_the_list_is_uploaded_again(linked, opd_operator):
    accept_id, reject_id = make_review("bpnt", 2)
    accept, reject = (Link.objects.select_related("entry").get(pk=i) for i in (accept_id, reject_id))
    services.record_review_decision(actor=opd_operator, link=accept, verdict=Verdict.ACCEPTED)
    services.record_review_decision(actor=opd_operator, link=reject, verdict=Verdict.REJECTED)
    rejected_person = reject.person_id
    roll = accept.entry.roll
    # The OPD sends the list again: the same people, the address typed differently -> new rows, new ids.
    copies = {}
    for old in (accept.entry, reject.entry):
        copy = RollEntry.objects.get(pk=old.pk)
        old_pk = copy.pk
        copy.pk = None
        copy.address = (copy.address or "") + " (baru)"
        copy.content_hash = "x" + copy.content_hash[1:]
        RollEntry.objects.filter(pk=old_pk).delete()
        copy.save()
        copies[old_pk] = copy.pk
    run = services.link_roll(actor=None, roll=roll)
    assert run.counts["accepted"] >= 1  # a row listed twice shares the verdict
    new_accept = Link.objects.get(entry_id=copies[accept.entry_id])
    new_reject = Link.objects.get(entry_id=copies[reject.entry_id])
    assert new_accept.decision == Decision.ACCEPTED and new_accept.person_id == accept.person_id
    assert new_accept.reviewed_by == opd_operator
    assert new_reject.person_id != rejected_person
    assert new_reject.decision != Decision.AUTO
    # nothing about these pairs waits in the queue again
    assert not Link.objects.filter(decision="review", person_id=rejected_person, entry__roll=roll).exists()
    assert ReviewDecision.objects.count() == 2


def test_it_audits_each_decision(linked, analyst):
    (link_id,) = make_review("lansia", 1)
    link = Link.objects.get(pk=link_id)
    services.record_review_decision(actor=analyst, link=link, verdict=Verdict.ACCEPTED)
    entry = AuditLog.objects.get(object_type="linkage.link", object_id=str(link_id), action="update")
    assert entry.actor == analyst and entry.detail["verdict"] == "accepted"
    assert entry.before["decision"] == "review" and entry.after["decision"] == "accepted"


def test_it_refuses_decisions_outside_the_reviewers_scope(linked, opd_operator_other, viewer):
    from django.core.exceptions import PermissionDenied

    (link_id,) = make_review("pkh", 1)
    link = Link.objects.get(pk=link_id)
    for user in (opd_operator_other, viewer):
        with pytest.raises(PermissionDenied):
            services.record_review_decision(actor=user, link=link, verdict=Verdict.ACCEPTED)
    assert not ReviewDecision.objects.exists()
