"""The layout holds with boundary values stored (issue 12, point 2): at 360 px no page
scrolls sideways, long words wrap inside table cells, and no short header breaks mid-word."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page

from portal import db
from portal.models import Individual, Plan
from portal.rules.vocabulary import PlanState
from tests.conftest import Demo
from tests.support.boundaries import store_boundary_values

# For every header cell and heading: does any word of it lie on more than one line?
BROKEN_WORDS = """() => {
  const broken = [];
  const hidden = (e) => {
    for (let a = e; a; a = a.parentElement) {
      const style = getComputedStyle(a);
      if ((style.clip && style.clip !== "auto") || a.getBoundingClientRect().width <= 1) return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll("th, h1, h2, h3, caption, label, .button")) {
    if (hidden(el)) continue;  // a stacked table's header row is for screen readers only
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /[^\\s\\-\u2010]+/g;  // a line may break after a hyphen
      let m;
      while ((m = re.exec(node.data))) {
        if (m[0].length > 24) continue;  // an endless stored word may wrap; a short one not
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(el.tagName + ": " + m[0]);
      }
    }
  }
  return broken;
}"""


def _plan_ids(app: Flask) -> list[int]:
    with app.app_context():
        return list(
            db.session().scalars(
                sa.select(Plan.id).join(Individual).where(Plan.state != PlanState.CLOSED)
            )
        )


def _sign_in(page: Page, live_server: str, account_id: int) -> None:
    """The demo button by its account (the names on the buttons are boundary values now)."""
    page.goto(f"{live_server}/sign-in")
    page.locator(f'button[name="account"][value="{account_id}"]').click()
    page.wait_for_load_state()


def _check(page: Page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state()
    problems = []
    wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    if wide > 0:
        problems.append(f"{url}: {wide} px of sideways scrolling")
    width = page.viewport_size["width"] if page.viewport_size else 0
    problems += [
        f"{url} at {width} px: broken mid-word in {b}" for b in page.evaluate(BROKEN_WORDS)
    ]
    return problems


def test_boundary_values_keep_the_layout_at_360_px(
    app: Flask, demo: Demo, live_server: str, page: Page
) -> None:
    store_boundary_values(app.extensions["sip_engine"])
    page.set_viewport_size({"width": 360, "height": 800})
    problems: list[str] = []
    _sign_in(page, live_server, demo.account_id("eva"))
    plans = _plan_ids(app)
    for path in [
        "/staff/",
        "/staff/?show=unit",
        "/staff/?show=unit&kind=handover",  # a filter that may hide every task: its notice
        "/staff/plans",
        *[f"/staff/plans/{p}" for p in plans[:3]],
    ]:
        problems += _check(page, f"{live_server}{path}")
    page.context.clear_cookies()
    _sign_in(page, live_server, demo.account_id("astrid"))
    for path in ["/me/", *[f"/me/plans/{p}" for p in plans[:1]]]:
        problems += _check(page, f"{live_server}{path}")
    assert not problems, "\n".join(problems[:20])
