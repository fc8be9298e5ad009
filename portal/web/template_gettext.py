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
- the catalogue is portal.i18n.catalogue(): flask_babel's own translations for the locale
  flask_babel has chosen (portal.i18n.select_locale, or `force_locale`), found once per
  request and locale;
- a message without variables is formatted once per locale and autoescape setting: the
  result of `Markup(translation) % {}` depends on nothing else.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from portal.i18n import catalogue as _catalogue

MEMO_LIMIT = 8192  # distinct messages remembered per locale: the templates have ~1,300


def _safe(rv: str, autoescape: bool) -> str:
    """As Jinja's newstyle gettext: a translation is markup where the template autoescapes
    (it is our catalogue's words; the variables are escaped by Markup's %)."""
    return Markup(rv) if autoescape else rv  # noqa: S704 - Jinja's own rule, see above


@pass_eval_context
def gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
    catalogue = _catalogue()
    if variables or type(string) is not str:
        return _safe(catalogue.translations.ugettext(string), eval_ctx.autoescape) % variables
    memo = catalogue.escaped if eval_ctx.autoescape else catalogue.plain
    done = memo.get(string)
    if done is None:
        done = _safe(catalogue.translations.ugettext(string), eval_ctx.autoescape) % variables
        if len(memo) < MEMO_LIMIT:
            memo[string] = done
    return done


@pass_eval_context
def ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    variables.setdefault("num", num)
    rv = _catalogue().translations.ungettext(singular, plural, num)
    return _safe(rv, eval_ctx.autoescape) % variables


@pass_eval_context
def pgettext(eval_ctx: EvalContext, context: str, string: str, /, **variables: Any) -> str:
    variables.setdefault("context", context)
    rv = _catalogue().translations.upgettext(context, string)
    return _safe(rv, eval_ctx.autoescape) % variables


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
    return _safe(rv, eval_ctx.autoescape) % variables


def init_app(app: Flask) -> None:
    """After flask_babel's init_app: replaces the callables it installed (newstyle stays)."""
    assert app.jinja_env.newstyle_gettext  # type: ignore[attr-defined]
    app.jinja_env.globals.update(
        _=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext
    )
