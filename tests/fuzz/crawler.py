"""A careless user and an attacker in one: crawl every page a signed-in person reaches from
`/`, find every form, and submit hostile variants of it with a valid CSRF token.

The crawler knows no URL but `/` and the sign-in page; everything else it finds in links and
form actions. Hostile values come from a seeded random choice over `values.HOSTILE` and
generated text (hypothesis strategies), so a failing run can be repeated with its seed.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from tests.fuzz.values import REFLECTION_MARKERS, hostile_value
from tests.support.pages import Page, check_page, parse

NOT_CRAWLED = ("/static/", "/sw.js", "/manifest.webmanifest", "/language/", "/healthz")
NOT_SUBMITTED = ("/account/sign-out", "/sign-out")  # ending the session ends the crawl
SAME_SHAPE = 3  # pages per URL shape (ids replaced by N): /staff/plans/N
FORMS_PER_SHAPE = 2


@dataclass
class Input:
    name: str
    kind: str  # text, hidden, select, checkbox, radio, textarea, date, time, submit, ...
    value: str = ""
    options: list[str] = field(default_factory=list)
    checked: bool = False


@dataclass
class Form:
    action: str
    method: str
    inputs: list[Input]
    found_on: str

    @property
    def shape(self) -> tuple[str, str, tuple[str, ...]]:
        names = tuple(sorted({i.name for i in self.inputs}))
        return (self.method, shape_of(self.action), names)


def shape_of(path: str) -> str:
    return re.sub(r"/\d+", "/N", urlsplit(path).path)


def forms_of(page: Page, url: str) -> list[Form]:
    """Every form on a page with its named inputs (options of a select, values of radios)."""
    found: list[Form] = []
    current: Form | None = None
    selects: dict[str, Input] = {}
    for element in page.elements:
        attrs = element.attrs
        if element.tag == "form":
            current = Form(
                urljoin(url, attrs.get("action", url)),
                attrs.get("method", "get").lower(),
                [],
                url,
            )
            found.append(current)
            selects = {}
            continue
        if current is None or not attrs.get("name"):
            if element.tag == "option" and current is not None and selects:
                last = list(selects.values())[-1]
                last.options.append(attrs.get("value", element.text.strip()))
                if "selected" in attrs:
                    last.value = last.options[-1]
            continue
        name = attrs["name"]
        if element.tag == "input":
            kind = attrs.get("type", "text").lower()
            current.inputs.append(Input(name, kind, attrs.get("value", ""), [], "checked" in attrs))
        elif element.tag == "button":
            kind = attrs.get("type", "submit").lower()
            current.inputs.append(
                Input(name, "submit" if kind == "submit" else kind, attrs.get("value", ""))
            )
        elif element.tag == "textarea":
            current.inputs.append(Input(name, "textarea", element.text))
        elif element.tag == "select":
            select = Input(name, "select", "")
            selects[name] = select
            current.inputs.append(select)
    for form in found:  # a form closes where the next begins: good enough for these pages
        form.inputs = [i for i in form.inputs if i.name != "csrf_token"]
    return found


def base_values(form: Form, rng: random.Random, today: str) -> MultiDict[str, str]:
    """What a careful person would send: defaults, one choice of each group, a plausible
    value in empty fields."""
    data: MultiDict[str, str] = MultiDict()
    radios: dict[str, list[Input]] = {}
    submits = [i for i in form.inputs if i.kind == "submit"]
    for item in form.inputs:
        if item.kind == "radio":
            radios.setdefault(item.name, []).append(item)
        elif item.kind == "checkbox":
            if item.checked or rng.random() < 0.5:
                data.add(item.name, item.value or "on")
        elif item.kind == "select":
            options = [o for o in item.options if o] or item.options
            data.add(item.name, item.value or (rng.choice(options) if options else ""))
        elif item.kind == "submit":
            continue
        elif item.kind == "date":
            data.add(item.name, item.value or today)
        elif item.kind == "time":
            data.add(item.name, item.value or "10:00")
        elif item.kind in {"file"}:
            continue
        else:
            data.add(item.name, item.value or ("Test" if item.kind != "hidden" else ""))
    for name, group in radios.items():
        chosen = next((r for r in group if r.checked), None) or rng.choice(group)
        data.add(name, chosen.value)
    if submits:
        button = rng.choice(submits)
        data.add(button.name, button.value)
    return data


def hostile_variant(form: Form, rng: random.Random, today: str) -> MultiDict[str, str]:
    """A careful submission with one field or every field replaced, duplicated or dropped."""
    data = base_values(form, rng, today)
    kinds = {i.name: i.kind for i in form.inputs}
    names = sorted(kinds) or ["x"]
    chosen = names if rng.random() < 0.6 else [rng.choice(names)]
    for name in chosen:
        value = hostile_value(rng, kinds.get(name, "text"))
        move = rng.random()
        if move < 0.7:
            data.setlist(name, [value])
        elif move < 0.8:
            data.add(name, value)  # duplicated: the hostile one second
        elif move < 0.9:
            data.setlist(name, [value, *data.getlist(name)])  # or first
        else:
            data.poplist(name)  # missing altogether
    if rng.random() < 0.05:
        data.add(f"unexpected-{rng.randint(0, 9)}", hostile_value(rng))
    return data


@dataclass
class Finding:
    what: str
    where: str

    def __str__(self) -> str:
        return f"{self.what}: {self.where}"


@dataclass
class Crawl:
    client: FlaskClient
    role: str
    max_pages: int = 60
    pages: dict[str, int] = field(default_factory=dict)  # url -> status first seen
    forms: list[Form] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    token: str = ""
    submissions: int = 0
    check: bool = False  # check every whole page as tests/support/pages.check_page does
    statuses: Counter[int] = field(default_factory=Counter)

    def fetch(self, url: str) -> tuple[TestResponse, Page | None]:
        response = self.client.get(url)
        if response.status_code >= 500:
            self.findings.append(Finding(f"{self.role} GET {response.status_code}", url))
        page = None
        if response.mimetype == "text/html" and response.status_code < 300:
            page = parse(response.get_data(as_text=True))
            meta = page.all("meta", name="csrf-token")
            if meta:
                self.token = meta[0].attrs["content"]
        return response, page

    def crawl(self, start: str = "/") -> None:
        queue, shapes, form_shapes = [start], Counter[str](), Counter[tuple]()
        while queue and len(self.pages) < self.max_pages:
            url = queue.pop(0)
            if url in self.pages:
                continue
            shapes[shape_of(url)] += 1
            response, page = self.fetch(url)
            self.pages[url] = response.status_code
            if response.status_code in (301, 302, 303) and response.location:
                target = urljoin(url, response.location)
                if urlsplit(target).path.startswith("/"):
                    queue.append(_local(target))
            if page is None:
                continue
            if self.check and page.all("h1") and page.all("html"):
                try:
                    check_page(response)
                except AssertionError as broken:
                    self.findings.append(Finding(f"{self.role} page not whole: {broken}", url))
            for form in forms_of(page, url):
                local = _local(form.action)
                if local.startswith(NOT_SUBMITTED) or form_shapes[form.shape] >= FORMS_PER_SHAPE:
                    continue
                form_shapes[form.shape] += 1
                form.action = local
                self.forms.append(form)
            for link in page.all("a"):
                href = link.attrs.get("href", "")
                target = _local(urljoin(url, href)) if href and not href.startswith("#") else ""
                query = urlsplit(target).query
                if query and target.startswith("/") and not target.startswith(NOT_CRAWLED):
                    link_form = Form(
                        target.split("?")[0],
                        "get",
                        [Input(k, "hidden", v) for k, v in parse_qsl(query)],
                        url,
                    )
                    if form_shapes[link_form.shape] < FORMS_PER_SHAPE:
                        form_shapes[link_form.shape] += 1
                        self.forms.append(link_form)
                if (
                    target.startswith("/")
                    and not target.startswith("//")
                    and not target.startswith(NOT_CRAWLED)
                    and target not in self.pages
                    and shapes[shape_of(target)] < SAME_SHAPE
                ):
                    queue.append(target)

    def submit(self, form: Form, data: MultiDict[str, str]) -> TestResponse:
        self.submissions += 1
        sent = list(data.items(multi=True))
        if form.method == "get":
            response = self.client.get(f"{form.action.split('?')[0]}?{urlencode(sent)}")
        else:
            response = self.client.post(
                form.action, data=MultiDict([("csrf_token", self.token), *sent])
            )
        self.statuses[response.status_code] += 1
        where = f"{form.method.upper()} {form.action} (from {form.found_on}) {sent!r:.300}"
        if response.status_code >= 500:
            self.findings.append(Finding(f"{self.role} {response.status_code}", where))
        if response.mimetype == "text/html":
            body = response.get_data(as_text=True)
            for marker, shows in REFLECTION_MARKERS.items():
                if any(marker in value for _, value in sent) and shows in body:
                    self.findings.append(Finding(f"{self.role} reflected {shows!r}", where))
        return response


def _local(url: str) -> str:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")
