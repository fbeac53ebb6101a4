"""The application shell in a real browser: log in, walk the menu, switch language, log out."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.conftest import KEL_A1, PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def _ensure_regions() -> None:
    """Transactional tests flush the tables the data migration filled; put the regions back."""
    from padu.wilayah.models import Region

    if Region.objects.filter(code=KEL_A1).exists():
        return
    try:
        from padu.wilayah.services import load_regions
    except ImportError:  # the shell must work without regions too
        return
    load_regions()


class Watch:
    """Everything the page asked for, and what went wrong, while the test ran."""

    def __init__(self, page) -> None:
        self.urls: list[str] = []
        self.failures: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.urls.append(request.url))
        page.on("requestfailed", lambda request: self.failures.append(
            f"{request.url} {request.failure}"))
        page.on("response", lambda response: response.status >= 400 and self.failures.append(
            f"{response.url} {response.status}"))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def foreign_hosts(self) -> list[str]:
        return [url for url in self.urls
                if urlsplit(url).scheme not in {"data", "blob", "about"}
                and urlsplit(url).hostname not in LOCAL_HOSTS]


PERSONAS = {
    "bappeda_admin": {"role": "admin", "sees_audit": True},
    "kel_operator": {"role": "region_operator", "sees_audit": False, "region_id": KEL_A1},
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_it_walks_the_shell_in_both_languages(page, live_server, tmp_path, persona):
    _ensure_regions()
    spec = dict(PERSONAS[persona])
    sees_audit = spec.pop("sees_audit")
    user = make_user(f"uji_{persona}", spec.pop("role"), **spec)
    watch = Watch(page)

    # Every page needs a login: the home page sends us to the login form, in Bahasa Indonesia.
    page.goto("/")
    assert urlsplit(page.url).path == "/akun/masuk/"
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text() == "Masuk ke Padu"

    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    nav = page.locator("nav.mainnav")
    assert nav.get_by_role("link", name="Beranda").is_visible()
    assert (nav.get_by_role("link", name="Log audit").count() == 1) is sees_audit
    assert user.first_name in page.get_by_test_id("who").inner_text()

    nav.get_by_role("link", name="Wilayah").click()
    page.wait_for_url(f"{live_server.url}/wilayah/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.screenshot(path=str(tmp_path / f"{persona}-wilayah-id.png"), full_page=True)

    # The language selector switches the whole shell to English and stays on the same page.
    with page.expect_navigation():
        page.locator("select[name=language]").select_option("en")
    assert urlsplit(page.url).path == "/wilayah/"
    assert page.locator("html").get_attribute("lang") == "en"
    nav = page.locator("nav.mainnav")
    assert nav.get_by_role("link", name="Home").is_visible()
    assert nav.get_by_role("link", name="Regions").is_visible()
    assert nav.get_by_role("link", name="Beranda").count() == 0
    page.screenshot(path=str(tmp_path / f"{persona}-wilayah-en.png"), full_page=True)

    nav.get_by_role("link", name="Home").click()
    page.wait_for_url(f"{live_server.url}/")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/akun/masuk/**")
    assert page.locator("h1").inner_text() == "Log in to Padu"
    page.goto("/")
    assert urlsplit(page.url).path == "/akun/masuk/"

    assert watch.urls, "the browser made no request"
    assert not watch.foreign_hosts(), f"requests left localhost: {watch.foreign_hosts()}"
    assert not watch.failures, f"failed requests: {watch.failures}"
    assert not watch.errors, f"JavaScript errors: {watch.errors}"
