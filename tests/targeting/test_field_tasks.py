"""Field checks as verivali tasks: Bappeda's analyst sends them, the kelurahan operator (only of that
kelurahan) answers them in a draft batch, Dinsos verifies, Bappeda's administrator approves, and the
finding shows closed with the verdict, who and when; a later run keeps it closed until the data change.

Personas: ``analyst`` (Bappeda, sends), ``kel_operator_in`` (kelurahan A1: the deceased recipient),
``kel_operator_out`` (kelurahan B1: the extreme-poor family without any programme), ``opd_operator``
(Dinsos, verifies), ``bappeda_admin`` (approves), ``viewer``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from padu.registry.models import Person
from padu.targeting import routing, services
from padu.targeting.models import Finding
from padu.verivali import services as verivali
from padu.verivali.models import Batch, FieldTask
from padu.wilayah.models import Region
from tests.conftest import KEC_A, KEC_B, KEL_A1, KEL_B1
from tests.targeting.conftest import PERIOD

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CHECKS = f"/penargetan/cek-lapangan/?periode={PERIOD}"


@pytest.fixture
def kelurahan(transactional_db):
    """The regions of the personas (a flush between transactional tests empties the loaded table)."""
    for code, name, level, kind, parent in (
        ("36.73", "Kota Serang", 2, "kota", None),
        (KEC_A, "Serang", 3, "kecamatan", "36.73"),
        (KEL_A1, "Cipare", 4, "kelurahan", KEC_A),
        (KEC_B, "Kasemen", 3, "kecamatan", "36.73"),
        (KEL_B1, "Kasemen", 4, "kelurahan", KEC_B),
    ):
        Region.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "level": level,
                "type": kind,
                "parent_id": parent,
                "code_plain": code.replace(".", ""),
            },
        )


@pytest.fixture
def sent(kelurahan, town, analyst, login):
    services.run_targeting(period=PERIOD, actor=analyst)
    response = login(analyst).post("/penargetan/cek-lapangan/kirim/", {"periode": PERIOD})
    assert response.status_code == 302
    return town


def _answer(client, batch: Batch, task: FieldTask, **values: str):
    data = {"family": task.family_id, "task": task.pk, **values}
    if task.person_id:
        data["person"] = task.person_id
    return client.post(f"/verivali/{batch.pk}/keputusan/", data)


def _through_workflow(batch: Batch, kel_operator, opd_operator, bappeda_admin) -> Batch:
    upload = SimpleUploadedFile("ba.pdf", PDF, content_type="application/pdf")
    verivali.attach_berita_acara(actor=kel_operator, batch=batch, upload=upload)
    verivali.submit_batch(actor=kel_operator, batch=batch)
    verivali.verify_batch(actor=opd_operator, batch=batch)
    return verivali.approve_batch(actor=bappeda_admin, batch=batch)


def test_the_analyst_sends_one_task_per_subject_to_its_kelurahan(sent, analyst):
    tasks = {(t.kelurahan_id, t.kind, t.person_id) for t in FieldTask.objects.all()}
    dead = Person.objects.get(name="ALM. HASAN")
    assert (KEL_A1, "inclusion_deceased", dead.pk) in tasks
    assert (KEL_B1, "exclusion_priority", None) in tasks
    unlinked = Finding.objects.filter(
        period=PERIOD, finding_type__in=["inclusion_deceased", "exclusion_priority"], field_task__isnull=True
    )
    assert not unlinked.exists()
    # Sending again creates nothing new.
    assert routing.send_field_checks(actor=analyst, period=PERIOD) == 0


def test_only_bappeda_sends(town, analyst, kel_operator_in, viewer, login):
    services.run_targeting(period=PERIOD, actor=analyst)
    for user in (kel_operator_in, viewer):
        assert login(user).post("/penargetan/cek-lapangan/kirim/", {"periode": PERIOD}).status_code == 403
    assert not FieldTask.objects.exists()


def test_the_kelurahan_operator_sees_only_their_own_tasks(sent, kel_operator_in, kel_operator_out, login):
    inside = login(kel_operator_in).get("/verivali/").content.decode()
    assert "ALM. HASAN" in inside and "WATI" not in inside
    outside = login(kel_operator_out).get("/verivali/").content.decode()
    assert "WATI" in outside and "ALM. HASAN" not in outside
    # An out-of-region operator cannot answer the other kelurahan's task, even by posting its id.
    task = FieldTask.objects.get(kind="inclusion_deceased")
    own = verivali.create_batch(actor=kel_operator_out)
    response = _answer(login(kel_operator_out), own, task, verdict="layak")
    assert response.status_code == 404
    assert FieldTask.objects.get(pk=task.pk).state == "open"


def test_the_loop_closes_end_to_end(sent, analyst, kel_operator_in, opd_operator, bappeda_admin, login):
    task = FieldTask.objects.get(kind="inclusion_deceased")
    client = login(kel_operator_in)
    batch = verivali.create_batch(actor=kel_operator_in, musyawarah_date=dt.date(2025, 6, 20))
    assert "ALM. HASAN" in client.get(f"/verivali/{batch.pk}/").content.decode()
    response = _answer(
        client, batch, task, verdict="tidak_layak", reason="meninggal", event_date="2024-12-01"
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.state == "decided" and task.decision.batch_id == batch.pk
    page = login(analyst).get(f"{CHECKS}&wilayah={KEL_A1}").content.decode()
    assert "menunggu persetujuan" in page

    _through_workflow(batch, kel_operator_in, opd_operator, bappeda_admin)
    task.refresh_from_db()
    assert task.state == "closed" and task.verdict == "tidak_layak" and task.reason == "meninggal"
    assert task.closed_by == bappeda_admin and task.closed_at is not None
    page = login(analyst).get(f"{CHECKS}&wilayah={KEL_A1}").content.decode()
    assert "selesai" in page and "Admin Bappeda" in page

    # A later run re-finds the deceased recipient (Dinkes still pays): the finding stays closed.
    services.run_targeting(period=PERIOD, actor=analyst)
    finding = Finding.objects.get(period=PERIOD, finding_type="inclusion_deceased")
    assert finding.field_task_id == task.pk
    assert routing.send_field_checks(actor=analyst, period=PERIOD, kelurahan=KEL_A1) == 0


def test_a_changed_subject_reopens_the_finding(sent, analyst, kel_operator_in, opd_operator, bappeda_admin):
    task = FieldTask.objects.get(kind="exclusion_priority")
    # The B1 family is answered by a decision recorded without naming the task: it still closes it.
    from tests.conftest import make_user

    operator_b1 = make_user("operator_b1_lagi", "region_operator", region_id=KEL_B1)
    batch = verivali.create_batch(actor=operator_b1)
    verivali.add_decision(actor=operator_b1, batch=batch, family=task.family, verdict="layak")
    _through_workflow(batch, operator_b1, opd_operator, bappeda_admin)
    task.refresh_from_db()
    assert task.state == "closed" and task.verdict == "layak"

    services.run_targeting(period=PERIOD, actor=analyst)
    assert Finding.objects.get(period=PERIOD, finding_type="exclusion_priority").field_task_id == task.pk

    # The family's desil changes (new welfare data): the next run opens the finding again.
    type(task.family).objects.filter(pk=task.family_id).update(desil=2)
    services.run_targeting(period=PERIOD, actor=analyst)
    finding = Finding.objects.get(period=PERIOD, finding_type="exclusion_priority")
    assert finding.field_task_id is None
    task.refresh_from_db()
    assert task.superseded_at is not None and task.state == "closed"  # kept as history
    assert routing.send_field_checks(actor=analyst, period=PERIOD, kelurahan=KEL_B1) == 1


def test_removing_the_answer_opens_the_task_again(sent, kel_operator_in, login):
    task = FieldTask.objects.get(kind="inclusion_deceased")
    batch = verivali.create_batch(actor=kel_operator_in)
    _answer(login(kel_operator_in), batch, task, verdict="layak")
    task.refresh_from_db()
    verivali.remove_decision(actor=kel_operator_in, decision=task.decision)
    task.refresh_from_db()
    assert task.state == "open" and task.decision is None


def test_the_command_line_sends_field_checks_as_a_bappeda_user_only(town, analyst, kel_operator_in, capsys):
    from padu.cli import main

    services.run_targeting(period=PERIOD, actor=analyst)
    assert main(["targeting", "send-checks", "--period", PERIOD, "--as", kel_operator_in.username]) != 0
    assert "Bappeda" in capsys.readouterr().err and not FieldTask.objects.exists()
    assert main(["targeting", "send-checks", "--period", PERIOD, "--kelurahan", KEL_A1,
                 "--as", analyst.username]) == 0  # fmt: skip
    assert set(FieldTask.objects.values_list("kelurahan_id", flat=True)) == {KEL_A1}
    assert "dibuat / created" in capsys.readouterr().out
    assert main(["targeting", "send-checks", "--period", PERIOD, "--as", analyst.username]) == 0
    assert set(FieldTask.objects.values_list("kelurahan_id", flat=True)) > {KEL_A1}
    assert main(["targeting", "send-checks", "--period", PERIOD, "--as", "nobody"]) != 0
