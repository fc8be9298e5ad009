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

from playwright.sync_api import Error as PlaywrightError
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

# A word on more than one line where it need not be ("samordningsansv/arig", "lörda/g" in a
# squeezed table column), anywhere in the page's visible text: headings, cells, running text,
# labels, buttons. A word (a run without spaces) may go on to a second line only
# - after a hyphen, a soft hyphen (&shy;), a dash or a slash (where Swedish breaks it too), or
# - when the word alone, unbroken, is wider than the line could be: the content box of its
#   nearest block; in a table cell the width the column could have, which is the table's
#   container (less the cell's padding) or the cell's max-width, whichever is less — a column
#   that `overflow-wrap: anywhere` shrank below a word is exactly what must not pass.
# Where this Chromium hyphenates (see HYPHENATES), a break inside a word of an element with
# `hyphens: auto` is taken as hyphenation. The tokens the portal joins (plan numbers, phone
# numbers, codes: .unbroken, .phone, .nowrap, .code) are one word with their spaces.
MID_WORD_BREAKS = """(hyphenates) => {
  const broken = [];
  const JOINED = '.unbroken, .phone, .nowrap, .code';
  const BREAKS_AFTER = /[-\\u00ad\\u2010\\u2013\\u2014\\/]/;
  const gone = new Map();  // element -> it hides itself and all in it
  const hides = (a) => {
    if (!gone.has(a)) {
      const s = getComputedStyle(a);
      gone.set(a, s.display === 'none' || s.visibility === 'hidden'
        || (s.clip && s.clip !== 'auto') || (s.clipPath && s.clipPath !== 'none'));
    }
    return gone.get(a);
  };
  const shown = (e) => {
    for (let a = e; a; a = a.parentElement) if (hides(a)) return false;
    return true;
  };
  const px = (v) => parseFloat(v) || 0;
  const inner = (box) => {
    const s = getComputedStyle(box);
    return box.clientWidth - px(s.paddingLeft) - px(s.paddingRight);
  };
  const sides = (box) => {
    const s = getComputedStyle(box);
    return px(s.paddingLeft) + px(s.paddingRight) + px(s.borderLeftWidth) + px(s.borderRightWidth);
  };
  // the width the word's line could have, and what gave it
  const room = (el) => {
    let box = el;
    while (box.parentElement && ['inline', 'contents'].includes(getComputedStyle(box).display))
      box = box.parentElement;
    const display = getComputedStyle(box).display;
    if (display === 'table-cell') {
      const table = box.closest('table');
      const column = inner(table.parentElement) - sides(box);
      const max = getComputedStyle(box).maxWidth;
      const capped = max.endsWith('px') ? px(max) - sides(box) : Infinity;
      return capped < column ? [capped, 'the cell at most'] : [column, 'the table'];
    }
    if (display.startsWith('inline-') && box.parentElement)  // a button: as wide as its line
      return [inner(box.parentElement) - sides(box), 'the line'];
    return [inner(box), 'the line'];
  };
  const unbrokenWidth = (el, word) => {
    const probe = document.createElement('span');
    probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap;left:0;top:0';
    probe.textContent = word.replace(/\\u00ad/g, '');
    el.appendChild(probe);
    const width = probe.getBoundingClientRect().width;
    probe.remove();
    return width;
  };
  const name = (e) => e.tagName.toLowerCase()
    + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/)[0] : '');
  const describe = (el) => {
    const host = el.closest('h1, h2, h3, h4, caption, th, td, dt, dd, li, p, label, legend, summary, button, a, .button, .badge');
    return host && host !== el ? `${name(host)} > ${name(el)}` : name(el);
  };
  const range = document.createRange();
  const rectsOf = (node, from, to) => {
    range.setStart(node, from);
    range.setEnd(node, to);
    return [...range.getClientRects()].filter(r => r.width > 0);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => /\\S/.test(n.data)
      && !n.parentElement.closest('script, style, noscript, template, textarea, select, svg')
      ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!shown(el)) continue;
    // a text on one line (one box) holds no word on two: skip its words (ADR 0099)
    if (rectsOf(node, 0, node.data.length).length < 2) continue;
    const joined = el.closest(JOINED);
    const tokens = joined ? /\\S[\\S\\u00a0 ]*\\S|\\S/g : /[^\\s]+/g;
    for (const m of node.data.matchAll(tokens)) {
      const word = m[0];
      const rects = rectsOf(node, m.index, m.index + word.length);
      if (rects.length < 2) continue;
      const tops = rects.map(r => r.top).sort((a, b) => a - b);
      if (!tops.some((t, i) => i > 0 && t > tops[i - 1] + rects[0].height / 2)) continue;
      // where it goes on to the next line: after a hyphen or a slash a word may, a joined token not
      let top = null, midWord = false;
      for (let i = 0; i < word.length && !midWord; i++) {
        const r = rectsOf(node, m.index + i, m.index + i + 1)[0];
        if (!r) continue;
        if (top !== null && r.top > top + r.height / 2 && (joined || !BREAKS_AFTER.test(word[i - 1])))
          midWord = true;
        top = r.top;
      }
      if (!midWord) continue;
      if (hyphenates && !joined && getComputedStyle(el).hyphens === 'auto') continue;
      const [width, what] = room(el);
      const needs = unbrokenWidth(el, word);
      if (needs > width - 1) continue;  // wider than its line could be: it must break
      broken.push(`${describe(el)} "${word.slice(0, 40)}" (${Math.round(needs)} px wide; ${what} could be ${Math.round(width)} px)`);
    }
  }
  return broken;
}"""

# Does this Chromium hyphenate? A narrow Swedish box with `hyphens: auto` and a long compound:
# with a dictionary the word goes on to a second line (with a hyphen the DOM does not hold),
# without one it stays on one line and sticks out. (Debian's Chromium has none: ADR 0095.)
HYPHENATES = """() => {
  const box = document.createElement('div');
  box.lang = 'sv';
  box.style.cssText = 'position:absolute;left:0;top:0;width:4em;hyphens:auto;visibility:hidden;font-size:16px';
  box.textContent = 'samordningsansvarig';
  document.body.appendChild(box);
  const range = document.createRange();
  range.selectNodeContents(box.firstChild);
  const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
  box.remove();
  return lines > 1;
}"""

# Hyphenation follows the language the element is in (its nearest `lang`): a Swedish text in
# an English page hyphenated with English rules breaks where Swedish never would. Where an
# element's computed `hyphens` is `auto`, the text in it must be in its language: a text with
# Swedish words ("och", "för", "på", …) resolved to English, or English words ("the", "your",
# …) resolved to Swedish, is named. A text with neither (a name, a number) is not judged.
HYPHENATED_IN_ITS_LANGUAGE = """() => {
  const SWEDISH = /(^|[^\\p{L}])(och|att|är|för|med|inte|på|som|när|efter|hos|eller|ska|vid|din|ditt|dina|mötet|planen|samordningsansvarig|samordningsansvarige)(?![\\p{L}])/iu;
  const ENGLISH = /(^|[^\\p{L}])(the|and|of|your|with|for|who|what|when|meeting|coordinator|has|have|is|are)(?![\\p{L}])/iu;
  const wrong = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !/\\S/.test(node.data) || getComputedStyle(el).hyphens !== 'auto') continue;
    if (!el.getClientRects().length) continue;
    const lang = ((el.closest('[lang]') || {}).lang || '').toLowerCase().split('-')[0];
    const text = node.data.trim();
    const sv = SWEDISH.test(text), en = ENGLISH.test(text);
    if (sv && !en && lang !== 'sv')
      wrong.push(`${el.tagName.toLowerCase()} "${text.slice(0, 40)}" is Swedish, hyphenated as lang="${lang}"`);
    if (en && !sv && lang !== 'en')
      wrong.push(`${el.tagName.toLowerCase()} "${text.slice(0, 40)}" is English, hyphenated as lang="${lang}"`);
  }
  return wrong;
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


# Where the menu, the skip link and the first heading are, as Playwright's locators would
# tell (count, `first`, bounding_box, is_visible), measured in the same call as the checks
# above: one round trip to the browser per page instead of a dozen (ADR 0099).
SHELL = """() => {
  // Playwright's is_visible: a box of some size, checkVisibility(), visibility: visible;
  // an element with display: contents is visible when something in it is
  const visible = (e) => {
    const s = getComputedStyle(e);
    if (s.display === 'contents') {
      for (let c = e.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === 1 && visible(c)) return true;
        if (c.nodeType === 3) {
          const range = document.createRange();
          range.selectNode(c);
          const r = range.getBoundingClientRect();
          if (r.width > 0 && r.height > 0) return true;
        }
      }
      return false;
    }
    if (e.checkVisibility && !e.checkVisibility()) return false;
    if (s.visibility !== 'visible') return false;
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  // Playwright's bounding_box: none for an element without a layout box
  const box = (e) => {
    if (!e || !e.getClientRects().length) return null;
    const r = e.getBoundingClientRect();
    return {x: r.x, y: r.y, width: r.width, height: r.height};
  };
  const one = (selector) => {
    const found = document.querySelectorAll(selector);
    return found.length ? visible(found[0]) : false;
  };
  const skip = document.querySelector('.skip-link');
  return {
    has_skip: skip !== null,
    skip: box(skip),
    menu: document.querySelector('.site-menu') !== null,
    menu_row: one('.site-header__nav'),
    menu_button: one('.site-menu > summary'),
    heading: box(document.querySelector('h1')),
  };
}"""

# Every check of a page in one evaluate, in the order they were made one by one.
PAGE_CHECKS = f"""() => {{
  const sideways = ({SIDEWAYS})();
  const small = ({SMALL_TARGETS})();
  const hyphenates = ({HYPHENATES})();
  const broken = ({MID_WORD_BREAKS})(hyphenates);
  const language = ({HYPHENATED_IN_ITS_LANGUAGE})();
  return {{sideways, small, broken, language, shell: ({SHELL})()}};
}}"""


def check(
    page: Page, url: str, size: str, out: Path, *, full_page: bool, whole_in: Path | None = None
) -> Checked:
    """Load `url` and measure it; save a screenshot in `out` (and the whole page in
    `whole_in`, when given)."""
    viewport, _ = SIZES[size]
    response = page.goto(url)  # waits for the load event, as wait_for_load_state() would
    parts = urlsplit(url)
    where = f"{parts.path}{'?' + parts.query if parts.query else ''} at {size}"
    problems: list[str] = []
    if response is None or response.status >= 500:
        problems.append(f"{where}: HTTP {response.status if response else '?'}")
    found = page.evaluate(PAGE_CHECKS)
    overflow, wide = found["sideways"]
    if overflow > 0:
        problems.append(f"{where}: {overflow} px of sideways scrolling ({', '.join(wide)})")
    problems += [f"{where}: target below 24 px: {t}" for t in found["small"]]
    problems += [f"{where}: broken mid-word in {b}" for b in found["broken"]]
    problems += [f"{where}: {h}" for h in found["language"]]
    shell = found["shell"]
    if shell["has_skip"] and (shell["skip"] or {"height": 0})["height"] > 1:
        problems.append(f"{where}: the skip link shows without focus")
    if shell["menu"]:
        menu_row = shell["menu_row"]
        if size == "1280" and not menu_row:
            problems.append(f"{where}: the menu row is hidden at 1280 px")
        if size != "1280":
            if menu_row or not shell["menu_button"]:
                problems.append(f"{where}: the menu is not collapsed behind its button")
            box = shell["heading"]
            if box is None or box["y"] >= viewport["height"]:
                problems.append(f"{where}: the first screen shows no heading")
    name = f"{file_name(parts.path + ('-' + parts.query if parts.query else ''))}-{size}.png"
    shot = out / name
    screenshot(page, shot, full_page=full_page)
    if whole_in is not None:
        screenshot(page, whole_in / name, full_page=True)
    return Checked(problems, shot)


def screenshot(page: Page, path: Path, *, full_page: bool) -> None:
    """Save what the page shows. The pictures are for a person to look at, not what the
    checks measure, so a capture Chromium cannot make on a busy machine ("Unable to capture
    screenshot": a whole page taller than its compositor's largest texture, or a frame that
    did not come in time) is tried again, then in CSS pixels (half the size at 200 %), then
    as the first screen; what was saved instead is printed, never a failed test."""
    attempts = [{"full_page": full_page}, {"full_page": full_page}]
    if full_page:
        attempts += [{"full_page": True, "scale": "css"}, {"full_page": False}]
    for number, options in enumerate(attempts):
        try:
            page.screenshot(path=str(path), **options)
        except PlaywrightError as error:
            if number == len(attempts) - 1:
                print(f"no screenshot of {page.url} ({path.name}): {error.message.splitlines()[0]}")
                return
            page.wait_for_timeout(250)
            continue
        if number:
            print(f"screenshot of {page.url} ({path.name}) saved as {options}")
        return


def skip_link_on_focus(page: Page) -> list[str]:
    """The first Tab reaches the skip link, which then shows (at least 24 px tall)."""
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.matches('.skip-link')")
    box = page.locator(".skip-link").first.bounding_box() if focused else None
    if not focused or box is None or box["height"] < 24 or box["width"] < 24:
        return [f"{page.url}: the skip link does not show when the first Tab focuses it"]
    return []
