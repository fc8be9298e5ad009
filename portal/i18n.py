"""Locale selection: user setting > ?lang > session > Accept-Language > sv.

Swedish is the source language of every string; English is a translation (locales/en).
The chosen locale's translations are looked up once per request and locale (catalogue(),
ADR 0102), for the templates, Python's gettext and lazy strings alike.
"""

from __future__ import annotations

from typing import Any

from babel.support import NullTranslations
from flask import Flask, current_app, request, session
from flask.globals import _cv_app
from flask_babel import Domain, get_locale
from flask_login import current_user

from portal.extensions import babel

TEXT_DIRECTION = {"sv": "ltr", "en": "ltr"}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    account_locale = getattr(current_user, "locale", None) if current_user else None
    if account_locale in languages:
        return account_locale
    asked = request.args.get("lang")
    if asked in languages:
        session["locale"] = asked
        return asked
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or "sv"


def text_direction(locale: str) -> str:
    return TEXT_DIRECTION.get(locale, "ltr")


class Catalogue:
    """One locale's translations (flask_babel's own object) and, for the templates'
    gettext (portal.web.template_gettext), its messages without variables as formatted."""

    __slots__ = ("escaped", "plain", "translations")

    def __init__(self, translations: Any) -> None:
        self.translations = translations
        self.escaped: dict[str, Any] = {}
        self.plain: dict[str, str] = {}


def catalogue() -> Catalogue:
    """The catalogue of the locale flask_babel holds now: the request's (select_locale) or
    the one `force_locale` put in its place (ADR 0102).

    The request remembers (locale, catalogue) in flask_babel's context and uses it only while
    that context holds the very same locale object: `force_locale` puts another there and
    puts the first back, `refresh()` removes it. One ContextVar read and three getattr, where
    flask_babel's get_translations() goes through `g` three times and str(locale)."""
    app_ctx = _cv_app.get(None)
    if app_ctx is not None:
        babel_ctx = getattr(app_ctx.g, "_flask_babel", None)
        if babel_ctx is not None:
            held = getattr(babel_ctx, "portal_catalogue", None)
            if held is not None and held[0] is getattr(babel_ctx, "babel_locale", None):
                return held[1]  # type: ignore[no-any-return]
    return _resolve()


def _resolve() -> Catalogue:
    locale = get_locale()  # selects it (select_locale) if nothing has yet in this context
    if locale is None:  # no app context: what flask_babel gives there
        return Catalogue(NullTranslations())
    catalogues: dict[str, Catalogue] = current_app.extensions.setdefault("i18n_catalogues", {})
    key = str(locale)
    found = catalogues.get(key)
    if found is None:
        loaded = Domain.get_translations(babel.domain_instance)  # flask_babel's loading
        found = catalogues[key] = Catalogue(loaded)
    _cv_app.get().g._flask_babel.portal_catalogue = (locale, found)
    return found


class CataloguedDomain(Domain):
    """flask_babel's default domain, its translations found through catalogue(): Python's
    gettext, lazy strings (portal.labels) and the templates share one lookup per request."""

    def get_translations(self) -> Any:
        return catalogue().translations


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Europe/Stockholm")
    if not isinstance(babel.__dict__.get("domain_instance"), CataloguedDomain):
        babel.domain_instance = CataloguedDomain(domain=app.extensions["babel"].default_domain)
