"""The plan as a PDF: print templates and CSS in pdf/, rendered by WeasyPrint as tagged PDF/UA.

WeasyPrint is imported with this module, which the app imports at start: once per worker,
never per request.
"""

from __future__ import annotations

import base64
from datetime import datetime
from pathlib import Path

import segno
import weasyprint
from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from portal import labels
from portal.documents.content import Person, PlanContent

PDF_DIR = Path(__file__).resolve().parent.parent.parent / "pdf"
PDF_VARIANT = "pdf/ua-1"


def _environment() -> Environment:
    """The app's Jinja environment (filters, gettext) reading from pdf/."""
    env = current_app.extensions.get("sip_pdf_env")
    if env is None:
        env = current_app.jinja_env.overlay(loader=FileSystemLoader(PDF_DIR))
        current_app.extensions["sip_pdf_env"] = env
    return env


def qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=4, border=0, dark="#1b2530")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def page_counter() -> Markup:
    """CSS content for "Sida N av M" in the current language."""
    words = _("Sida {n} av {m}").replace('"', "")
    css = '"' + words.replace("{n}", '" counter(page) "').replace("{m}", '" counter(pages) "') + '"'
    return Markup(css)  # noqa: S704 - our own translated words, quotes removed


def plan_html(
    doc: PlanContent,
    *,
    locale: str,
    signer: Person | None = None,
    signed_at: datetime | None = None,
    code: str | None = None,
) -> str:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    verify_url = f"{base}/verify/{code}" if code else ""
    with force_locale(locale):
        return (
            _environment()
            .get_template("plan.html")
            .render(
                doc=doc,
                locale=locale,
                labels=labels,
                signer=signer,
                signed_at=signed_at,
                code=code,
                verify_base=f"{base}/verify",
                qr=qr_data_uri(verify_url) if code else "",
                organisation=signer.unit if signer else "",
                page_counter=page_counter(),
            )
        )


def plan_body_html(doc: PlanContent, *, locale: str) -> Markup:
    """The document's body as the PDF shows it, for a page (the signing preview)."""
    with force_locale(locale):
        body = (
            _environment()
            .get_template("_plan_body.html")
            .render(doc=doc, locale=locale, labels=labels, in_page=True, signed_at=None)
        )
    return Markup(body)  # noqa: S704 - rendered by our own autoescaping template


def log_html(**context: object) -> str:
    """The individual's access-log extract (pdf/access_log.html) in the current language."""
    return (
        _environment()
        .get_template("access_log.html")
        .render(locale=str(get_locale() or "sv"), page_counter=page_counter(), **context)
    )


def html_to_pdf(html: str) -> bytes:
    return weasyprint.HTML(string=html, base_url=str(PDF_DIR) + "/").write_pdf(
        pdf_variant=PDF_VARIANT
    )


def render_plan(doc: PlanContent, **kwargs: object) -> bytes:
    return html_to_pdf(plan_html(doc, **kwargs))  # type: ignore[arg-type]
