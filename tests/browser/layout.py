"""What a page looks like in real Chromium, measured: sideways scrolling, targets smaller than
24 × 24 CSS px, words broken mid-word where they must not be, the menu and the skip link.

Used by the every-page tests (tests/browser/test_every_page_layout.py); each check returns the
problems it saw as plain sentences, so one run lists every fault of every page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from playwright.sync_api import Page

# name -> (viewport, device scale factor). 200 % zoom of a 1280 px window is 640 CSS px wide
# (the browser's zoom changes CSS px per device px, as a scale factor of 2 does).
SIZES = {
    "360": ({"width": 360, "height": 740}, 1),
    "1280": ({"width": 1280, "height": 800}, 1),
    "zoom200": ({"width": 640, "height": 400}, 2),
}

# Controls someone presses (WCAG 2.2, 2.5.8): at least 24 × 24 CSS px. A link inside a
# sentence is excepted by the criterion (its size is the line's).
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'a, button, input[type=radio], input[type=checkbox], summary, select, input[type=submit]')]
  .filter(e => e.offsetParent !== null && !e.matches('.skip-link'))
  .filter(e => !(e.tagName === 'A' && e.closest('p, li, dd, td') &&
                 e.closest('p, li, dd, td').textContent.trim() !== e.textContent.trim()))
  .map(e => [e, e.getBoundingClientRect()])
  .filter(([e, r]) => r.width < 24 || r.height < 24)
  .map(([e, r]) => `${e.tagName.toLowerCase()}${e.type ? '[' + e.type + ']' : ''} `
                   + `"${(e.textContent || e.name || '').trim().slice(0, 30)}" `
                   + `${Math.round(r.width)}×${Math.round(r.height)}`)"""

# A word on more than one line: broken mid-word ("samordningsansv/arig"). In headings,
# header cells, labels, legends, buttons and badges no word of up to 22 letters may break
# (the portal's own longest words must fit the type at 360 px); a longer one is stored text
# (an endless word) and may. The tokens the portal joins (plan numbers, phone numbers:
# .unbroken, .phone, .nowrap, .code) break only when wider than the line. Running text and
# table data cells may break a word longer than the line (overflow-wrap) and are not checked.
MID_WORD_BREAKS = """() => {
  const WORD_MAX = 22;
  const broken = [];
  const shown = (e) => {
    for (let a = e; a; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.display === 'none' || style.visibility === 'hidden') return false;
      if ((style.clip && style.clip !== 'auto') || (style.clipPath && style.clipPath !== 'none'))
        return false;
    }
    return e.getBoundingClientRect().width > 1;
  };
  const selector = 'h1, h2, h3, th, caption, label, legend, summary, .button, .badge, '
                 + '.unbroken, .phone, .nowrap, .code';
  for (const el of document.querySelectorAll(selector)) {
    if (!shown(el)) continue;
    const whole = el.matches('.unbroken, .phone, .nowrap, .code');
    let box = el;  // the line's width: the content box of the nearest block
    while (box.parentElement && getComputedStyle(box).display.startsWith('inline')) box = box.parentElement;
    const style = getComputedStyle(box);
    const width = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = whole ? /\\S[\\S\\u00a0 ]*\\S|\\S/g : /[^\\s\\-\\u2010\\u2013\\u2014\\/]+/g;
      for (const m of node.data.matchAll(re)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const rects = [...range.getClientRects()].filter(r => r.width > 0);
        const tokenWidth = rects.reduce((w, r) => w + r.width, 0);
        const lines = new Set(rects.map(r => Math.round(r.top))).size;
        // A word of a heading, label or button is never broken: the type must fit the
        // longest Swedish word the portal writes there ("samordningsansvarig?", 20). A
        // longer token is stored text (an endless word) and may break where it must.
        const tooLong = whole ? tokenWidth > width - 1 : m[0].length > WORD_MAX;
        if (lines > 1 && !tooLong)
          broken.push(`${el.tagName.toLowerCase()}${el.className ? '.' + el.className.split(' ')[0] : ''}: "${m[0].slice(0, 40)}"`);
      }
    }
  }
  return broken;
}"""

SIDEWAYS = """() => {
  const root = document.documentElement;
  // what sticks out: a box beyond the window, or a box whose content overflows it
  const sticksOut = (e) => e.getBoundingClientRect().right > root.clientWidth + 1
    || (getComputedStyle(e).overflowX === 'visible'
        && e.getBoundingClientRect().left + e.scrollWidth > root.clientWidth + 1);
  const wide = [...document.querySelectorAll('body *')]
    .filter(sticksOut)
    .filter(e => !e.closest('.visually-hidden, .skip-link, .table-stack thead'))
    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className.split(' ')[0] : ''));
  return [root.scrollWidth - root.clientWidth, wide];
}"""


@dataclass
class Checked:
    problems: list[str]
    screenshot: Path


def shape(url: str) -> str:
    """/staff/plans/12?show=unit -> /staff/plans/N?show: one page of each kind is enough."""
    parts = urlsplit(url)
    keys = ",".join(sorted(k for k, _ in parse_qsl(parts.query)))
    return re.sub(r"/\d+", "/N", parts.path) + (f"?{keys}" if keys else "")


def file_name(url: str) -> str:
    name = re.sub(r"[^A-Za-z0-9]+", "-", url.strip("/")).strip("-")
    return name or "start"


def check(page: Page, url: str, size: str, out: Path, *, full_page: bool) -> Checked:
    """Load `url` and measure it; save a screenshot in `out`."""
    viewport, _ = SIZES[size]
    response = page.goto(url)
    page.wait_for_load_state()
    parts = urlsplit(url)
    where = f"{parts.path}{'?' + parts.query if parts.query else ''} at {size}"
    problems: list[str] = []
    if response is None or response.status >= 500:
        problems.append(f"{where}: HTTP {response.status if response else '?'}")
    overflow, wide = page.evaluate(SIDEWAYS)
    if overflow > 0:
        problems.append(f"{where}: {overflow} px of sideways scrolling ({', '.join(wide)})")
    problems += [f"{where}: target below 24 px: {t}" for t in page.evaluate(SMALL_TARGETS)]
    problems += [f"{where}: broken mid-word in {b}" for b in page.evaluate(MID_WORD_BREAKS)]
    skip = page.locator(".skip-link")
    if skip.count() and (skip.first.bounding_box() or {"height": 0})["height"] > 1:
        problems.append(f"{where}: the skip link shows without focus")
    if page.locator(".site-menu").count():
        menu_row = page.locator(".site-header__nav").is_visible()
        if size == "1280" and not menu_row:
            problems.append(f"{where}: the menu row is hidden at 1280 px")
        if size != "1280":
            if menu_row or not page.locator(".site-menu > summary").is_visible():
                problems.append(f"{where}: the menu is not collapsed behind its button")
            heading = page.locator("h1").first
            box = heading.bounding_box() if heading.count() else None
            if box is None or box["y"] >= viewport["height"]:
                problems.append(f"{where}: the first screen shows no heading")
    shot = out / f"{file_name(parts.path + ('-' + parts.query if parts.query else ''))}-{size}.png"
    page.screenshot(path=str(shot), full_page=full_page)
    return Checked(problems, shot)


def skip_link_on_focus(page: Page) -> list[str]:
    """The first Tab reaches the skip link, which then shows (at least 24 px tall)."""
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.matches('.skip-link')")
    box = page.locator(".skip-link").first.bounding_box() if focused else None
    if not focused or box is None or box["height"] < 24 or box["width"] < 24:
        return [f"{page.url}: the skip link does not show when the first Tab focuses it"]
    return []
