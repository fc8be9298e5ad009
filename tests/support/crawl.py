"""Crawl the pages a signed-in person reaches by links, and read each page's own words.

The words leave out what people wrote (`lang="sv"`), textareas, scripts and the head, so a
test of the portal's wording or date styles reads only the portal's own text.
"""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from tests.support.pages import PageClient


class PageWords(HTMLParser):
    """The page's own words: body text outside `lang="sv"` (written by people), textareas
    and scripts; and the links it has. `skip_audience` also leaves out what is marked as
    spoken to someone else (`data-audience="individual"` on a staff page)."""

    def __init__(self, skip_audience: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_audience = skip_audience
        self.words: list[str] = []
        self.links: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        if tag in {"br", "input", "img", "meta", "link", "hr", "source", "col", "wbr"}:
            return
        skip = (
            (self._stack[-1][1] if self._stack else False)
            or tag in {"textarea", "script", "style", "head"}
            or (found.get("lang") == "sv" and tag != "html")
            or (self.skip_audience is not None and found.get("data-audience") == self.skip_audience)
        )
        self._stack.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if not (self._stack and self._stack[-1][1]):
            self.words.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.words).split())


def crawl(
    client: PageClient, start: str, follow: Callable[[str], bool], limit: int | None = None
) -> dict[str, str]:
    """Every HTML page reached from `start` by links on this site whose path `follow`
    accepts (at most `limit`), breadth first: path (with query) -> the page's own words."""
    seen: set[str] = set()
    queue, texts = [start], {}
    while queue and (limit is None or len(texts) < limit):
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        words = PageWords()
        words.feed(response.get_data(as_text=True))
        texts[path] = words.text
        for href in words.links:
            url = urlsplit(urljoin(f"http://localhost{path}", href))
            if url.netloc != "localhost" or not follow(url.path):
                continue
            queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return texts
