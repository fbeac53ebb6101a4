"""The targeting dashboard in a real browser: an analyst opens it from the menu, sees the findings with
their rupiah and the (offline) Plotly charts, and drills down to the rows."""

from __future__ import annotations

import pytest

from padu.targeting import services
from tests.browser.test_shell import Watch, _ensure_regions
from tests.conftest import PASSWORD
from tests.targeting.conftest import PERIOD, town  # noqa: F401  (the hand-made town fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("town")
def test_it_shows_the_analyst_findings_with_rupiah(page, live_server, analyst):
    _ensure_regions()
    services.run_targeting(period=PERIOD, actor=analyst)
    watch = Watch(page)

    page.goto("/akun/masuk/")
    page.locator("input[name=username]").fill(analyst.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    page.locator("nav.mainnav").get_by_role("link", name="Penargetan").click()
    page.wait_for_url(f"{live_server.url}/penargetan/")
    totals = page.get_by_test_id("totals").inner_text()
    assert "Rp15.600.000" in totals  # every finding's rupiah a year
    assert "Rp9.600.000" in page.get_by_test_id("total-inclusion").inner_text()
    page.locator("[data-chart=chart-programme] .main-svg").first.wait_for()  # Plotly drew it

    page.get_by_test_id("by-type").get_by_role("link", name="sudah mampu / desil di atas batas").click()
    page.wait_for_url(f"{live_server.url}/penargetan/temuan/**")
    assert "BUDI SANTOSO" in page.get_by_test_id("findings").inner_text()
    assert not watch.failures, f"failed requests: {watch.failures}"
    assert not watch.errors, f"page errors: {watch.errors}"
    assert not watch.foreign_hosts()
