"""Uploading a beneficiary list in a real browser: programme page → upload → preview → validate →
commit → the list's rows."""

from __future__ import annotations

import pytest

from padu.accounts.models import Opd, Role
from padu.programs.models import RollEntry
from tests.browser.test_shell import Watch, _ensure_regions
from tests.conftest import PASSWORD, make_user
from tests.programs.conftest import clean_rows, make_programme, write_csv

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.django_db(transaction=True)
def test_it_uploads_a_roll_through_the_web_ui(page, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    _ensure_regions()
    opd = Opd.objects.get_or_create(code="dinsos", defaults={"name": "Dinas Sosial", "short_name": "Dinsos"})[
        0
    ]
    make_programme(opd, "lansia", name="Bansos Lanjut Usia")
    user = make_user("operator_dinsos_web", Role.OPD_OPERATOR, opd=opd)
    csv_path = write_csv(tmp_path / "bansos_lansia_2026.csv", clean_rows())
    watch = Watch(page)

    page.goto("/akun/masuk/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    page.locator("nav.mainnav").get_by_role("link", name="Program").click()
    page.wait_for_url(f"{live_server.url}/program/")
    page.get_by_role("link", name="Bansos Lanjut Usia").click()
    page.wait_for_url(f"{live_server.url}/program/lansia/")

    form = page.get_by_test_id("roll-upload-form")
    form.locator("input[name=file]").set_input_files(str(csv_path))
    form.locator("input[name=period]").fill("2026-04")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/impor/*/pratinjau/")
    assert "SITI AMINAH" in page.content()

    page.get_by_test_id("validate").click()
    page.wait_for_url(f"{live_server.url}/impor/*/**")
    page.goto(page.url.split("/proses/")[0] + "/")
    page.get_by_test_id("commit").click()
    page.wait_for_url(f"{live_server.url}/impor/*/**")
    page.goto(page.url.split("/proses/")[0] + "/")
    assert page.get_by_test_id("batch-kind").inner_text().startswith("daftar penerima program")
    page.get_by_test_id("result-link").click()
    page.wait_for_url(f"{live_server.url}/program/lansia/daftar/2026-04/")
    assert page.get_by_test_id("entry-table").locator("tbody tr").count() == 4
    assert "MARNI" in page.get_by_test_id("entry-table").inner_text()
    assert RollEntry.objects.filter(roll__period="2026-04").count() == 4
    assert not watch.failures, f"failed requests: {watch.failures}"
    assert not watch.errors, f"JavaScript errors: {watch.errors}"
