"""The printed page view in Debian's Chromium: looks (screenshots at phone and desk
widths, kept in tests/artifacts/), keyboard (each region a tab stop named by its
headline, Enter opens the article), and hover and focus showing the region.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = {"phone": (375, 812), "desk": (1280, 900)}
PAGE = "/2024/03/17/01/"


@pytest.mark.parametrize("device", list(WIDTHS))
def test_page_view_in_chromium(printed_site, serve_site, browser, artifacts_dir, device):
    width, height = WIDTHS[device]
    server = serve_site(printed_site.output["zjrb"], "/repo")
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("response", lambda r: errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    try:
        page.goto(server.base + PAGE, wait_until="networkidle")
        img = page.locator(".page-map-box img")
        assert img.evaluate("i => i.complete && i.naturalWidth") > 0
        box = img.bounding_box()
        svg = page.locator("svg.page-map").bounding_box()
        assert abs(svg["width"] - box["width"]) < 1.5 and abs(svg["height"] - box["height"]) < 1.5
        listing = page.locator(".page-view .headlines").bounding_box()
        if device == "desk":  # beside the picture
            assert listing["x"] >= box["x"] + box["width"] and listing["y"] < box["y"] + box["height"]
        else:  # below it, the picture the width of the screen
            assert listing["y"] >= box["y"] + box["height"] and box["width"] >= width - 40
        page.screenshot(path=str(artifacts_dir / f"printed-page-{width}.png"), full_page=False)
        page.screenshot(path=str(artifacts_dir / f"printed-page-full-{width}.png"), full_page=True)

        # hover: the region shows itself
        area = page.locator("svg.page-map a").nth(1)
        rect = area.locator("rect").first
        plain = rect.evaluate("r => getComputedStyle(r).stroke")
        area.hover()
        assert rect.evaluate("r => getComputedStyle(r).stroke") != plain

        # keyboard: Tab reaches every region, each named by its headline, and Enter opens it
        titles = page.locator(".page-view .hl-title").all_inner_texts()
        names = []
        for _ in range(60):
            page.keyboard.press("Tab")
            name = page.evaluate("""() => { const a = document.activeElement;
                return a && a.closest && a.closest('svg.page-map') ? a.querySelector('title').textContent : null; }""")
            if name:
                names.append(name)
                focused = page.evaluate("() => getComputedStyle(document.activeElement.querySelector('rect')).stroke")
                assert focused != plain
                if len(names) == 1:
                    page.screenshot(path=str(artifacts_dir / f"printed-page-focus-{width}.png"))
            elif names:
                break
        assert sorted(names) == sorted(titles), (names, titles)
        # the accessible name Chromium gives each region is its headline (from its SVG <title>)
        regions = page.locator("svg.page-map a")
        for i in range(regions.count()):
            snapshot = regions.nth(i).aria_snapshot()
            assert snapshot.startswith(f'- link "{names[i]}"'), snapshot
        page.locator("svg.page-map a").first.focus()
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        assert page.locator("h1#story-title").inner_text() == names[0]
        page.go_back()

        # the edition's page card shows the thumbnail, and it leads to the page
        page.goto(server.base + "/2024/03/17/", wait_until="networkidle")
        assert page.locator(".page-thumb img").evaluate("i => i.complete && i.naturalWidth") == 256
        page.screenshot(path=str(artifacts_dir / f"printed-edition-{width}.png"), full_page=True)
        page.locator(".page-thumb").click()
        page.wait_for_load_state()
        assert page.url == server.base + PAGE
    finally:
        context.close()
    assert not errors, "\n".join(errors)
