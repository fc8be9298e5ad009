"""Locale selection: user setting > ?lang > session > Accept-Language > sv.

Swedish is the source language of every string; English is a translation (locales/en).
"""

from __future__ import annotations

from flask import Flask, current_app, request, session
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


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Europe/Stockholm")
