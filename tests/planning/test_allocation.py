"""Allocation: OPD ceilings, scenarios, optimiser runs with explanations, infeasibility, comparison, CLI."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from padu.accounts.models import Opd
from padu.core.models import AuditLog
from padu.planning.models import AllocationRun, AllocationScenario, OpdCeiling, Proposal
from padu.planning.services import allocation
from tests.conftest import KEL_A1, KEL_A2, KEL_B1

pytestmark = pytest.mark.django_db
JT = 1_000_000


@pytest.fixture
def proposals(db):
    pupr = Opd.objects.get_or_create(code="pupr", defaults={"name": "Dinas PUPR", "short_name": "PUPR"})[0]
    naker = Opd.objects.get_or_create(
        code="disnaker", defaults={"name": "Disnaker", "short_name": "Disnaker"}
    )[0]
    rows = [
        (KEL_A1, "Jalan lingkungan RW 01", 200, True, pupr, 1),
        (KEL_A1, "Drainase RW 02", 150, True, pupr, 2),
        (KEL_A2, "Jalan lingkungan RW 05", 250, True, pupr, 1),
        (KEL_A2, "Pelatihan menjahit", 40, False, naker, 1),
        (KEL_B1, "Saluran air RW 03", 120, True, pupr, 1),
        (KEL_B1, "Pelatihan las", 60, False, naker, 2),
    ]
    for kel, title, cost, physical, opd, prio in rows:
        Proposal.objects.create(
            year=2027,
            kelurahan_id=kel,
            activity=title,
            cost=cost * JT,
            physical=physical,
            strategy="kantong" if physical else "pendapatan",
            opd=opd,
            local_priority=prio,
        )
    Proposal.objects.create(
        year=2027, kelurahan_id=KEL_B1, activity="Ditolak", cost=10 * JT, status="ditolak", opd=pupr
    )
    return {"pupr": pupr, "disnaker": naker}


def _scenario(name="dasar", **values):
    data = {
        "budget": 500 * JT,
        "use_opd_ceilings": True,
        "kecamatan_min_share": 0.0,
        "kecamatan_max_share": 100.0,
        "min_nonphysical_share": 0.0,
        "weighting": "poverty",
        "strategy_gap": {},
    } | values
    return allocation.scenario_save(actor=None, year=2027, name=name, values=data)


def test_it_funds_within_budget_and_ceilings_and_explains_each_item(proposals, analyst):
    allocation.set_ceilings(actor=analyst, year=2027, amounts={proposals["pupr"].pk: 350 * JT})
    run = allocation.run_scenario(actor=analyst, scenario=_scenario())
    assert run.status == "optimal"
    assert run.item_count == 6  # the rejected one is not a candidate
    assert run.total <= 500 * JT
    assert run.by_opd.get("PUPR", 0) <= 350 * JT
    assert sum(run.by_kecamatan.values()) == pytest.approx(run.total)
    assert all(i["text"] for i in run.items)
    unfunded = [i for i in run.items if not i["funded"]]
    assert unfunded and any("plafon" in i["text"] or "pagu" in i["text"].lower() for i in unfunded)
    assert AuditLog.objects.filter(object_type="planning.allocationrun").count() == 1


def test_it_reports_conflicting_rules_in_words(proposals, analyst):
    run = allocation.run_scenario(actor=analyst, scenario=_scenario("mustahil", kecamatan_min_share=60.0))
    assert run.status == "infeasible"
    assert run.conflicts and "120" in run.conflicts[0]["text"]


def test_it_keeps_a_minimum_nonphysical_share(proposals, analyst):
    run = allocation.run_scenario(actor=analyst, scenario=_scenario("nf", min_nonphysical_share=20.0))
    assert run.status == "optimal" and run.nonphysical_share >= 0.2 - 1e-9


def test_it_shows_scenarios_side_by_side(proposals, analyst, login):
    allocation.run_scenario(actor=analyst, scenario=_scenario("miskin"))
    allocation.run_scenario(actor=analyst, scenario=_scenario("rata", weighting="equal"))
    page = login(analyst).get("/perencanaan/alokasi/", {"year": 2027})
    html = page.content.decode()
    assert 'data-testid="comparison"' in html and "miskin" in html and "rata" in html
    assert len(page.context["compare"]["runs"]) == 2


def test_it_runs_a_scenario_from_its_page_and_lists_reasons(proposals, analyst, login):
    s = _scenario()
    client = login(analyst)
    assert client.post(f"/perencanaan/alokasi/skenario/{s.pk}/", {"action": "run"}).status_code == 302
    page = client.get(f"/perencanaan/alokasi/skenario/{s.pk}/").content.decode()
    assert 'data-testid="by-kecamatan"' in page and 'data-testid="by-opd"' in page
    assert ('data-testid="run-items"' in page and "Didanai" in page) or "didanai" in page


def test_it_lets_analysts_set_ceilings_and_create_scenarios(proposals, analyst, login):
    client = login(analyst)
    pupr = proposals["pupr"]
    client.post("/perencanaan/alokasi/", {"action": "ceilings", "year": 2027, f"opd_{pupr.pk}": 300 * JT})
    assert OpdCeiling.objects.get(year=2027, opd=pupr).amount == 300 * JT
    data = {
        "year": 2027,
        "name": "uji",
        "budget": 400 * JT,
        "use_opd_ceilings": "on",
        "kecamatan_min_share": 10,
        "kecamatan_max_share": 80,
        "min_nonphysical_share": 10,
        "weighting": "equal",
        "gap_beban": 1,
        "gap_pendapatan": 1.5,
        "gap_kantong": 1,
    }
    response = client.post("/perencanaan/alokasi/", data)
    assert response.status_code == 302
    s = AllocationScenario.objects.get(name="uji")
    assert (s.weighting, s.strategy_gap["pendapatan"], s.kecamatan_max_share) == ("equal", 1.5, 80.0)


def test_it_shows_a_kelurahan_operator_only_own_items_of_a_run(proposals, analyst, kel_operator_in, login):
    s = _scenario()
    allocation.run_scenario(actor=analyst, scenario=s)
    page = login(kel_operator_in).get(f"/perencanaan/alokasi/skenario/{s.pk}/")
    assert {i["kelurahan"] for i in page.context["items"]} == {KEL_A1}
    assert "Pelatihan las" not in page.content.decode()  # a proposal of kecamatan B


def test_it_keeps_viewers_and_operators_from_running(proposals, viewer, kel_operator_in, login):
    s = _scenario()
    for user in (viewer, kel_operator_in):
        client = login(user)
        assert client.get(f"/perencanaan/alokasi/skenario/{s.pk}/").status_code == 200
        assert client.post(f"/perencanaan/alokasi/skenario/{s.pk}/", {"action": "run"}).status_code == 403
        assert client.post("/perencanaan/alokasi/", {"action": "ceilings", "year": 2027}).status_code == 403
    assert not AllocationRun.objects.exists()


def test_it_prints_totals_per_kecamatan_and_opd_from_the_cli(proposals):
    _scenario("dasar")
    _scenario("rata", weighting="equal")
    out = io.StringIO()
    call_command("plan", "optimise", "--year", "2027", "--scenario", "dasar", stdout=out)
    text = out.getvalue()
    assert "== dasar (2027): optimal" in text
    assert "Per kecamatan:" in text and "Per OPD:" in text and "PUPR" in text
    assert "rata" not in text
    assert AllocationRun.objects.count() == 1


def test_it_names_a_missing_scenario_in_the_cli(proposals):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No scenario"):
        call_command("plan", "optimise", "--year", "2027", "--scenario", "tidak-ada")


def test_it_marks_the_funded_proposals_when_a_planner_applies_a_run(proposals, analyst, viewer, login):
    s = _scenario()
    run = allocation.run_scenario(actor=analyst, scenario=s)
    assert (
        login(viewer).post(f"/perencanaan/alokasi/skenario/{s.pk}/", {"action": "apply"}).status_code == 403
    )
    response = login(analyst).post(f"/perencanaan/alokasi/skenario/{s.pk}/", {"action": "apply"})
    assert response.status_code == 302
    funded = {int(i["id"].split("-")[1]) for i in run.items if i["funded"]}
    assert set(Proposal.objects.filter(status="didanai").values_list("pk", flat=True)) == funded
    assert Proposal.objects.get(activity="Ditolak").status == "ditolak"
    infeasible = allocation.run_scenario(actor=analyst, scenario=_scenario("x", kecamatan_min_share=60.0))
    with pytest.raises(ValidationError):
        allocation.apply_run(actor=analyst, run=infeasible)


def test_it_lets_rat_activities_compete_when_the_scenario_includes_them(proposals, analyst):
    from padu.planning.models import RatActivity

    RatActivity.objects.create(
        year=2027,
        opd=proposals["pupr"],
        name="Jalan kota",
        strategy="kantong",
        budget=100 * JT,
        kelurahan_id=KEL_A1,
    )
    RatActivity.objects.create(
        year=2027,
        opd=proposals["disnaker"],
        name="Pelatihan kerja kota",
        strategy="pendapatan",
        budget=30 * JT,
    )
    without = allocation.run_scenario(actor=analyst, scenario=_scenario("tanpa", kecamatan_max_share=60.0))
    assert without.item_count == 6
    run = allocation.run_scenario(
        actor=analyst, scenario=_scenario("rat", include_rat=True, kecamatan_max_share=60.0)
    )
    assert run.status == "optimal" and run.item_count == 8
    rat = {i["id"]: i for i in run.items if i["id"].startswith("RAT-")}
    assert {i["title"] for i in rat.values()} == {"Jalan kota", "Pelatihan kerja kota"}
    city = next(i for i in rat.values() if i["title"] == "Pelatihan kerja kota")
    assert city["kecamatan"] == "36.73" and city["physical"] is False
