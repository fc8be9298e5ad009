"""Real Chromium, looked at: touch targets, word breaks, the menu at 200 % zoom, the skip link.

Screenshots of each page at each size and language are saved under the test's output
directory (pytest-playwright's --output, default test-results/) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from portal import db
from portal.models import Individual, Plan
from portal.rules.vocabulary import PlanState
from tests.browser.conftest import demo_sign_in
from tests.conftest import Demo

SIZES = {  # name -> (viewport, device scale factor); 200 % zoom of 1280 px is 640 CSS px
    "360": ({"width": 360, "height": 740}, 1),
    "1280": ({"width": 1280, "height": 800}, 1),
    "1280-zoom200": ({"width": 640, "height": 400}, 2),
}

SMALL_TARGETS = """() => [...document.querySelectorAll(
    'a, button, input[type=radio], input[type=checkbox], summary, select')]
  .filter(e => e.offsetParent !== null && !e.matches('.skip-link'))
  .filter(e => !(e.tagName === 'A' && e.closest('p, li, dd, td') &&
                 e.closest('p, li, dd, td').textContent.trim() !== e.textContent.trim()))
  .map(e => [e, e.getBoundingClientRect()])
  .filter(([e, r]) => r.width < 24 || r.height < 24)
  .map(([e, r]) => `${e.tagName} ${e.textContent.trim().slice(0, 30)} ${r.width}x${r.height}`)"""

MID_WORD_BREAKS = """() => {
  const broken = [];
  for (const el of document.querySelectorAll('h1, h2, h3, .unbroken, .phone, .nowrap')) {
    if (el.offsetParent === null) continue;
    const width = el.getBoundingClientRect().width;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = el.matches('.unbroken, .phone, .nowrap') ? /\\S[\\S\\u00a0 ]*\\S|\\S/g : /\\S+/g;
      for (const m of node.data.matchAll(re)) {
        const range = document.createRange();
        range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        const rects = [...range.getClientRects()].filter(r => r.width > 0);
        const tokenWidth = rects.reduce((w, r) => w + r.width, 0);
        const lines = new Set(rects.map(r => Math.round(r.top))).size;
        if (lines > 1 && tokenWidth <= width) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""


def _plan_of(app: Flask, given_name: str) -> int:
    with app.app_context():
        return db.session().scalar(
            sa.select(Plan.id)
            .join(Individual)
            .where(Individual.given_name == given_name, Plan.state != PlanState.CLOSED)
        )


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_targets_breaks_menu_and_skip_link_at_360_1280_and_200_percent(
    browser, live_server: str, app: Flask, demo: Demo, lang: str, output_path: str
) -> None:
    plan_id = _plan_of(app, "Astrid")
    out = Path(output_path)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "home": "/me/",
        "plan": f"/me/plans/{plan_id}",
        "prepare": f"/me/plans/{plan_id}/prepare",
        "consent": f"/me/plans/{plan_id}/consent",
        "access-log": "/me/access-log?mine=1",
        "accessibility": "/tillganglighet",
    }
    for size, (viewport, scale) in SIZES.items():
        context = browser.new_context(viewport=viewport, device_scale_factor=scale)
        page: Page = context.new_page()
        demo_sign_in(page, live_server, "Astrid Lindqvist")
        for name, path in paths.items():
            page.goto(f"{live_server}{path}{'&' if '?' in path else '?'}lang={lang}")
            where = f"{name} {size} {lang}"
            small = page.evaluate(SMALL_TARGETS)
            assert small == [], f"{where}: {small}"
            assert page.evaluate(MID_WORD_BREAKS) == [], where
            skip = page.locator(".skip-link")
            assert skip.bounding_box()["height"] <= 1, f"{where}: skip link shows unfocused"
            menu_open = page.locator(".site-header__nav").is_visible()
            if size == "1280":
                assert menu_open, where
            else:  # at 360 px and at 200 % zoom the menu is one button; content on screen 1
                assert not menu_open and page.locator(".site-menu > summary").is_visible()
                assert page.locator("h1").bounding_box()["y"] < viewport["height"], where
            page.screenshot(path=str(out / f"{name}-{size}-{lang}.png"), full_page=False)
        page.keyboard.press("Tab")
        expect(skip).to_be_focused()
        assert skip.bounding_box()["height"] >= 24
        page.screenshot(path=str(out / f"skip-link-{size}-{lang}.png"))
        if size != "1280":
            page.locator(".site-menu > summary").click()
            expect(page.locator(".site-menu nav")).to_be_visible()
            page.screenshot(path=str(out / f"menu-open-{size}-{lang}.png"))
        context.close()
