"""The map in a real headless Chromium: drawn from the database alone, no outside request,
and a click on a kecamatan opens its page."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOCAL_HOSTS = {"localhost", "127.0.0.1"}


def _ensure_regions() -> None:
    """Transactional tests flush what the data migration loaded; put it back."""
    from padu.wilayah import services
    from padu.wilayah.models import Boundary, Region

    if not Region.objects.filter(code="36.73.05").exists():
        services.load_regions()
    if not Boundary.objects.filter(region_id="36.73.05").exists():
        services.load_boundaries()


@pytest.mark.django_db(transaction=True)
def test_it_draws_the_map_offline_and_opens_a_clicked_kecamatan(page, live_server):
    _ensure_regions()
    make_user("analis_peta", "analyst")
    urls: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "response",
        lambda r: r.status >= 400 and "favicon" not in r.url and errors.append(f"{r.url} {r.status}"),
    )

    page.goto("/akun/masuk/?next=/wilayah/")
    page.fill("input[name=username]", "analis_peta")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/wilayah/")
    page.wait_for_selector("#peta-wilayah path.choroplethlocation")
    assert page.locator("#peta-wilayah path.choroplethlocation").count() == 6
    box = page.locator("#peta-wilayah .geolayer").bounding_box()
    assert box and box["width"] > 200 and box["height"] > 200  # fitted to the city, not a dot

    cipocok = page.locator("#peta-wilayah path.choroplethlocation").nth(4)  # 36.73.05
    cipocok.scroll_into_view_if_needed()
    cbox = cipocok.bounding_box()
    assert cbox
    x, y = cbox["x"] + cbox["width"] / 2, cbox["y"] + cbox["height"] / 2
    page.mouse.move(x, y)  # plotly clicks what it last hovered
    page.mouse.click(x, y)
    page.wait_for_url("**/wilayah/36.73.05/", timeout=5_000)
    page.wait_for_selector("#peta-wilayah path.choroplethlocation")
    assert page.locator("#peta-wilayah path.choroplethlocation").count() == 8
    assert "Cipocok Jaya" in page.content()

    foreign = [
        u for u in urls if urlsplit(u).scheme in {"http", "https"} and urlsplit(u).hostname not in LOCAL_HOSTS
    ]
    assert foreign == []
    assert not [u for u in urls if "topojson" in u or u.endswith("_110m.json")]
    assert errors == []
