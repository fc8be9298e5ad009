"""A Flask test client that checks every page it fetches, as a careful reviewer would."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

NB_HYPHEN = "\u2011"  # plan numbers are joined so they do not break at a line end


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


@dataclass
class Page(HTMLParser):
    elements: list[Element] = field(default_factory=list)
    _open: list[Element] = field(default_factory=list)
    inline_scripts: int = 0
    _in_script: bool = False

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag == "script":
            self._in_script = "src" not in element.attrs
        if tag not in {"meta", "link", "input", "br", "img", "hr", "source"}:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1
        for element in self._open:
            element.text += data

    def all(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag == tag and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def one(self, tag: str, **attrs: str) -> Element:
        found = self.all(tag, **attrs)
        assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]

    def text_of(self, tag: str) -> list[str]:
        return [" ".join(e.text.replace(NB_HYPHEN, "-").split()) for e in self.all(tag)]

    @property
    def text(self) -> str:
        body = self.all("body")
        return " ".join((body[0].text if body else "").replace(NB_HYPHEN, "-").split())


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def check_page(response: TestResponse) -> Page:
    """What every full page must be: one h1, unique ids, lang, forms with action, no inline code."""
    html = response.get_data(as_text=True)
    page = parse(html)
    lang = page.one("html").attrs.get("lang")
    assert lang in {"sv", "en"}, f"<html lang> is {lang!r}"
    assert len(page.all("h1")) == 1, f"expected one <h1>, found {page.text_of('h1')}"
    ids = Counter(e.attrs["id"] for e in page.elements if "id" in e.attrs)
    duplicates = [i for i, n in ids.items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    for form in page.all("form"):
        assert form.attrs.get("action"), f"form without action: {form.attrs}"
        assert form.attrs.get("method", "get").lower() in {"get", "post"}
    assert page.inline_scripts == 0, "inline <script> breaks the Content-Security-Policy"
    assert not re.search(r"\sstyle=\"", html), "inline style attributes break the CSP"
    assert not re.search(r"\son[a-z]+=\"", html), "inline event handlers break the CSP"
    for label in page.all("label"):
        target = label.attrs.get("for")
        if target:
            assert ids.get(target), f"<label for={target!r}> points at no element"
    return page


class PageClient:
    """Wraps the Flask client: `get_page` checks the page; `post_form` adds the CSRF token."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.csrf_token: str | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)

    def get_page(self, path: str, status: int = 200, **kwargs: Any) -> Page:
        response = self.client.get(path, **kwargs)
        assert response.status_code == status, (
            f"GET {path}: {response.status_code} (expected {status})"
        )
        page = check_page(response)
        token = page.all("meta", name="csrf-token")
        if token:
            self.csrf_token = token[0].attrs["content"]
        return page

    def token(self) -> str:
        if self.csrf_token is None:
            self.get_page("/")
        assert self.csrf_token
        return self.csrf_token

    def post_form(
        self, path: str, data: dict[str, Any] | None = None, **kwargs: Any
    ) -> TestResponse:
        payload = {"csrf_token": self.token(), **(data or {})}
        response = self.client.post(path, data=payload, **kwargs)
        if response.status_code in (302, 303):
            self.csrf_token = None  # signing in or out starts a new session with a new token
        return response
