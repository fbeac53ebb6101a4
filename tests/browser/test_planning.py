"""Planning in a real browser: an analyst sets indicator weights, sees the method, the ranking and the
map (drawn offline), and saves the lokasi prioritas."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.conftest import KEL_A1, KEL_A2, KEL_B1, PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOCAL_HOSTS = {"localhost", "127.0.0.1"}


def _ensure_regions() -> None:
    from padu.wilayah import services
    from padu.wilayah.models import Boundary, Region

    if not Region.objects.filter(code=KEL_A1).exists():
        services.load_regions()
    if not Boundary.objects.filter(region_id=KEL_A1).exists():
        services.load_boundaries()


@pytest.mark.django_db(transaction=True)
def test_it_lets_an_analyst_weight_rank_map_and_choose_lokasi(page, live_server):
    from padu.planning.models import LokasiPrioritas
    from tests.planning.conftest import load_test_registry

    _ensure_regions()
    period = load_test_registry()
    make_user("analis_rencana", "analyst")
    urls: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "response",
        lambda r: r.status >= 400 and "favicon" not in r.url and errors.append(f"{r.url} {r.status}"),
    )

    page.goto("/akun/masuk/")
    page.fill("input[name=username]", "analis_rencana")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.locator("nav.mainnav").get_by_role("link", name="Perencanaan").click()
    page.wait_for_url("**/perencanaan/")

    form = page.get_by_test_id("weights-form")
    form.locator("select[name=period]").select_option(period)
    for field in form.locator("input.weight").all():
        field.fill("0")
    form.locator("input[name=w_no_latrine]").fill("3")
    form.locator("input[name=w_poor_family_share]").fill("1")
    page.get_by_test_id("compute").click()
    page.wait_for_url("**/perencanaan/?*")

    method = page.get_by_test_id("method-text").inner_text()
    assert "75%" in method and "25%" in method  # 3 : 1, normalised
    first = page.get_by_test_id("ranking").locator("tbody tr").first
    assert first.get_attribute("data-code") == KEL_A1
    page.wait_for_selector("#priority-map path.choroplethlocation")
    assert page.locator("#priority-map path.choroplethlocation").count() >= 60

    page.get_by_test_id("save-lokasi").click()
    page.wait_for_url("**/perencanaan/?*")
    assert (
        page.get_by_test_id("lokasi-list").locator("li").count()
        == LokasiPrioritas.objects.filter(year=2027).count()
    )
    # the top ranks are pre-selected; kelurahan without data are not
    assert set(LokasiPrioritas.objects.filter(year=2027).values_list("kelurahan_id", flat=True)) == {
        KEL_A1,
        KEL_A2,
        KEL_B1,
    }

    foreign = [
        u for u in urls if urlsplit(u).scheme in {"http", "https"} and urlsplit(u).hostname not in LOCAL_HOSTS
    ]
    assert foreign == []
    assert errors == []
