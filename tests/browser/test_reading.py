"""Reading the paper in Debian's Chromium: home → edition → page → article → city → back.

Served under a sub-path (``/repo``) as on GitHub Pages.  No console error may appear
(the Content-Security-Policy would report any inline script or style there), and
screenshots at phone and desk widths are kept in tests/artifacts/ for a human to look at.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

WIDTHS = {"phone": (375, 812), "desk": (1280, 900)}


@pytest.mark.parametrize("device", list(WIDTHS))
def test_reader_walks_from_home_to_a_city_and_back(built_site, serve_site, browser, artifacts_dir, device):
    width, height = WIDTHS[device]
    server = serve_site(built_site.output, "/repo")
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    # a favicon still loading when the reader clicks on is aborted: that is no error
    page.on("requestfailed", lambda r: None if "ERR_ABORTED" in (r.failure or "")
            else errors.append(f"request failed: {r.url} {r.failure}"))
    page.on("response", lambda r: errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts_dir / f"{name}-{width}.png"), full_page=True)

    try:
        page.goto(server.base + "/")
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert page.locator("form[role=search] input[name=q]").is_visible()
        shot("home")
        home_url = page.url

        # the edition of the day
        page.locator("h1 a.permalink").click()
        page.wait_for_load_state()
        date = page.locator("h1 time").get_attribute("datetime")
        assert page.url == f"{server.base}/{date.replace('-', '/')}/"
        assert page.locator(".page-card").count() >= 1
        shot("edition")
        edition_url = page.url
        page.locator(".page-card h2 a").first.click()
        page.wait_for_load_state()
        assert page.url.startswith(server.base + "/") and page.url.rstrip("/").split("/")[-1].isdigit()
        assert page.locator(".pagenav a[aria-current=page]").count() == 1
        shot("page")
        page_url = page.url

        # an article on that page
        title = page.locator(".headlines .hl-title").first.inner_text()
        page.locator(".headlines .hl a").first.click()
        page.wait_for_load_state()
        assert page.locator("h1#story-title").inner_text() == title
        assert page.locator(".edition-line").first.inner_text().startswith("20")
        shot("article")
        page.emulate_media(color_scheme="dark")
        shot("article-dark")
        page.emulate_media(color_scheme="light")
        article_url = page.url

        # its first city
        city = page.locator(".tags.city a").first
        city_name = city.inner_text()
        city.click()
        page.wait_for_load_state()
        assert city_name in page.locator("h1").inner_text()
        assert page.locator(".story-list > li > a").filter(has_text=title).count() >= 1
        shot("city")

        # and back the way we came
        page.go_back()
        assert page.url == article_url
        page.go_back()
        assert page.url == page_url
        page.go_back()
        assert page.url == edition_url
        page.go_back()
        assert page.url == home_url

        # keyboard users: the skip link is the first stop and shows itself
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip"
        assert page.locator("a.skip").is_visible()
    finally:
        context.close()
    assert not errors, "\n".join(errors)
