"""The templates' `_`, `gettext`, `ngettext`, `pgettext` and `npgettext` in one call each
(ADR 0102).

Jinja's i18n extension, as flask_babel installs it, runs every `{{ _("…") }}` through five
Python calls before the catalogue is asked (`_gettext_alias` -> `Context.resolve("gettext")`
-> the newstyle wrapper -> flask_babel's lambda -> `get_translations()`, which looks the
locale and the domain up through `g` three times). These do the same in one function each:

- the semantics are Jinja's newstyle gettext exactly: the translation, `Markup` if the
  template autoescapes, then always `rv % variables` (so `%%` is a percent sign and a
  `%(name)s` is filled in); `num` in the variables of `ngettext`, `context` in those of
  `pgettext`; `{% trans %}` blocks compile to calls of these by name;
- the catalogue is flask_babel's own (`get_translations()`), asked once per locale and app;
  which locale is flask_babel's own too (portal.i18n.select_locale, or `force_locale`): the
  request remembers (locale, catalogue) in flask_babel's context and uses it only while that
  context still holds the very same locale object, which `force_locale` and `refresh()`
  replace;
- a message without variables is formatted once per locale and autoescape setting: the
  result of `Markup(translation) % {}` depends on nothing else.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from flask.globals import _cv_app
from flask_babel import get_locale, get_translations
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

MEMO_LIMIT = 8192  # distinct messages remembered per locale: the templates have ~1,300


class Catalogue:
    """One locale's translations and its formatted messages without variables."""

    __slots__ = ("translations", "escaped", "plain")

    def __init__(self, translations: Any) -> None:
        self.translations = translations
        self.escaped: dict[str, Markup] = {}
        self.plain: dict[str, str] = {}


def _catalogue() -> Catalogue:
    """The catalogue of the locale flask_babel has for this context (request or force_locale)."""
    app_ctx = _cv_app.get(None)
    if app_ctx is not None:
        babel_ctx = getattr(app_ctx.g, "_flask_babel", None)
        if babel_ctx is not None:
            held = getattr(babel_ctx, "portal_catalogue", None)
            if held is not None and held[0] is getattr(babel_ctx, "babel_locale", None):
                return held[1]
    return _resolve()


def _resolve() -> Catalogue:
    locale = get_locale()  # selects the locale (portal.i18n) if nothing has yet
    if locale is None:  # no app context: flask_babel's null translations
        return Catalogue(get_translations())
    catalogues: dict[str, Catalogue] = current_app.extensions.setdefault("gettext_catalogues", {})
    key = str(locale)
    catalogue = catalogues.get(key)
    if catalogue is None:
        catalogue = catalogues[key] = Catalogue(get_translations())
    _cv_app.get().g._flask_babel.portal_catalogue = (locale, catalogue)
    return catalogue


@pass_eval_context
def gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
    catalogue = _catalogue()
    if variables or type(string) is not str:
        rv = catalogue.translations.ugettext(string)
        if eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables  # type: ignore[no-any-return]
    memo = catalogue.escaped if eval_ctx.autoescape else catalogue.plain
    done = memo.get(string)
    if done is None:
        rv = catalogue.translations.ugettext(string)
        done = (Markup(rv) if eval_ctx.autoescape else rv) % variables
        if len(memo) < MEMO_LIMIT:
            memo[string] = done
    return done


@pass_eval_context
def ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    variables.setdefault("num", num)
    rv = _catalogue().translations.ungettext(singular, plural, num)
    if eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables  # type: ignore[no-any-return]


@pass_eval_context
def pgettext(eval_ctx: EvalContext, context: str, string: str, /, **variables: Any) -> str:
    variables.setdefault("context", context)
    rv = _catalogue().translations.upgettext(context, string)
    if eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables  # type: ignore[no-any-return]


@pass_eval_context
def npgettext(
    eval_ctx: EvalContext,
    context: str,
    singular: str,
    plural: str,
    num: int,
    /,
    **variables: Any,
) -> str:
    variables.setdefault("context", context)
    variables.setdefault("num", num)
    rv = _catalogue().translations.unpgettext(context, singular, plural, num)
    if eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables  # type: ignore[no-any-return]


def init_app(app: Flask) -> None:
    """After flask_babel's init_app: replaces the callables it installed (newstyle stays)."""
    assert app.jinja_env.newstyle_gettext  # type: ignore[attr-defined]
    app.jinja_env.globals.update(
        _=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext
    )
