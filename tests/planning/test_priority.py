"""Kelurahan priority: SQL indicators from the registry, the index page, lokasi prioritas, scope."""

from __future__ import annotations

import pytest

from padu.core.models import AuditLog
from padu.planning.indicators import registry_indicators
from padu.planning.models import LokasiPrioritas, PriorityAnalysis
from padu.planning.selectors import compute_ranking, display_value
from tests.conftest import KEL_A1, KEL_A2, KEL_B1

pytestmark = pytest.mark.django_db


def test_it_aggregates_registry_indicators_per_kelurahan(registry, analyst):
    ind = registry_indicators(user=analyst, period=registry)
    a1 = ind[KEL_A1]
    assert a1["families"] == 20
    assert a1["poor_families"] == 12
    assert a1["poor_family_share"] == pytest.approx(60.0)
    assert a1["desil1_share"] == pytest.approx(30.0)
    assert a1["extreme_poor"] == 2 * 4  # 4 families (i = 0, 3, 6, 9), two members each
    assert a1["uninhabitable_houses"] == 6  # earth floor
    assert a1["no_latrine"] == 12
    assert a1["no_safe_water"] == 12
    assert a1["no_electricity"] == 0
    assert a1["unemployed_heads"] == 12
    # fewer families than PADU_MIN_CELL_SIZE (10): shares left missing, counts kept
    b1 = ind[KEL_B1]
    assert b1["families"] == 5
    assert b1["poor_family_share"] is None
    assert b1["poor_families"] == 3


def test_it_leaves_an_unrecorded_item_missing_not_zero(registry, analyst):
    from padu.registry.models import WelfareRecord

    WelfareRecord.objects.filter(family__kelurahan_id=KEL_A2).update(housing={})
    ind = registry_indicators(user=analyst, period=registry)
    assert ind[KEL_A2]["no_latrine"] is None
    assert ind[KEL_A1]["no_latrine"] == 12


def test_it_ranks_the_poorest_kelurahan_first(registry, analyst):
    ranking = compute_ranking(user=analyst, period=registry, weights={"poor_family_share": 1.0})
    ranked = [r["code"] for r in ranking.rows if r["composite"] is not None]
    assert ranked[:2] == [KEL_A1, KEL_A2]
    assert "skor-z" in ranking.explanation or "z-score" in ranking.explanation
    # kelurahan with no registry data rank last with no composite
    assert ranking.rows[-1]["composite"] is None


def test_it_shows_small_counts_as_below_the_cell_size():
    assert display_value("poor_families", 3) == "< 10"
    assert display_value("poor_families", 0) == "0"
    assert display_value("poor_families", 1234) == "1.234"
    assert display_value("poor_families", None) == "—"


def _params(registry: str, **weights: float) -> dict[str, object]:
    data: dict[str, object] = {"year": 2027, "period": registry, "method": "zscore", "indicator_period": ""}
    data |= {f"w_{k}": v for k, v in weights.items()}
    return data


def test_it_lets_an_analyst_set_weights_and_see_ranking_and_map(registry, analyst, login):
    client = login(analyst)
    response = client.get("/perencanaan/", _params(registry, poor_family_share=2, no_latrine=1))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="ranking"' in html
    assert 'id="priority-map"' in html
    assert "plotly.min.js" in html and "cdn" not in html.lower()
    assert 'data-testid="method-text"' in html
    ranking = response.context["ranking"]
    assert ranking.weights["poor_family_share"] == 2.0
    assert ranking.rows[0]["code"] == KEL_A1
    assert 'name="chosen"' in html


def test_it_saves_lokasi_prioritas_with_audit(registry, analyst, login):
    client = login(analyst)
    data = _params(registry, poor_family_share=1) | {"chosen": [KEL_A1, KEL_A2]}
    response = client.post("/perencanaan/", data)
    assert response.status_code == 302
    assert (
        "csrf" not in response.url
        and "chosen" not in response.url
        and "w_poor_family_share=1" in response.url
    )
    assert set(LokasiPrioritas.objects.filter(year=2027).values_list("kelurahan_id", flat=True)) == {
        KEL_A1,
        KEL_A2,
    }
    analysis = PriorityAnalysis.objects.get()
    assert analysis.weights == {"poor_family_share": 1.0} | {
        k: 0.0 for k in analysis.weights if k != "poor_family_share"
    }
    assert all("values" in r and "nik" not in str(r).lower() for r in analysis.result)
    entry = AuditLog.objects.filter(object_type="planning.priorityanalysis").get()
    assert entry.after["lokasi"] == sorted([KEL_A1, KEL_A2])
    # choosing again replaces the year's choice
    client.post("/perencanaan/", data | {"chosen": [KEL_B1]})
    assert list(LokasiPrioritas.objects.filter(year=2027).values_list("kelurahan_id", flat=True)) == [KEL_B1]
    assert AuditLog.objects.filter(object_type="planning.priorityanalysis", action="update").count() == 1
    page = client.get("/perencanaan/", _params(registry, poor_family_share=1)).content.decode()
    assert 'data-testid="lokasi-list"' in page


def test_it_keeps_the_viewer_read_only(registry, viewer, login):
    client = login(viewer)
    response = client.get("/perencanaan/", _params(registry, poor_family_share=1))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="ranking"' in html
    assert 'name="chosen"' not in html and 'data-testid="save-lokasi"' not in html
    data = _params(registry, poor_family_share=1) | {"chosen": [KEL_A1]}
    assert client.post("/perencanaan/", data).status_code == 403
    assert not LokasiPrioritas.objects.exists()


def test_it_gives_a_kelurahan_operator_no_partial_city_ranking(registry, kel_operator_in, login):
    client = login(kel_operator_in)
    response = client.get("/perencanaan/", _params(registry, poor_family_share=1))
    assert response.status_code == 200
    assert "ranking" not in response.context
    assert (
        client.post(
            "/perencanaan/", _params(registry, poor_family_share=1) | {"chosen": [KEL_A1]}
        ).status_code
        == 403
    )


def test_it_refuses_all_zero_weights(registry, analyst, login):
    response = login(analyst).get("/perencanaan/", _params(registry, poor_family_share=0))
    assert "ranking" not in response.context
    assert "Minimal satu bobot" in response.content.decode()
