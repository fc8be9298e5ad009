"""One lookup of the catalogue per request (ADR 0102), and still the right language: the
request's own (select_locale), and another person's under force_locale, in templates, in
Python's gettext and in lazy strings."""

from __future__ import annotations

from flask import Flask, render_template_string
from flask_babel import force_locale, gettext, refresh
from flask_babel import lazy_gettext as _l

from portal.extensions import babel
from portal.i18n import CataloguedDomain
from portal.web import template_gettext
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient

WORDS = '{{ _("Logga in") }}|{{ gettext("Logga in") }}|{{ _("Var: %(where)s", where="<Bo>") }}|{{ lazy }}'
SV = "Logga in|Logga in|Var: &lt;Bo&gt;|Logga in"
EN = "Sign in|Sign in|Where: &lt;Bo&gt;|Sign in"


def _everywhere() -> tuple[str, str, str]:
    """The same word from a template (with a lazy string), Python's gettext and a lazy string."""
    lazy = _l("Logga in")
    return render_template_string(WORDS, lazy=lazy), gettext("Logga in"), str(lazy)


def test_the_app_uses_the_one_call_gettext(app: Flask) -> None:
    for name in ("_", "gettext", "ngettext", "pgettext", "npgettext"):
        assert app.jinja_env.globals[name] is getattr(
            template_gettext, name.lstrip("_") or "gettext"
        )
    assert isinstance(babel.domain_instance, CataloguedDomain)


def test_force_locale_switches_templates_python_and_lazy_strings(app: Flask) -> None:
    with app.test_request_context("/?lang=sv"):
        assert _everywhere() == (SV, "Logga in", "Logga in")
        with force_locale("en"):
            assert _everywhere() == (EN, "Sign in", "Sign in")
            with force_locale("sv"):
                assert _everywhere() == (SV, "Logga in", "Logga in")
            assert _everywhere() == (EN, "Sign in", "Sign in")
        assert _everywhere() == (SV, "Logga in", "Logga in"), "back to the request's language"


def test_force_locale_before_the_request_has_chosen_its_language(app: Flask) -> None:
    with app.test_request_context("/?lang=en"):
        with force_locale("sv"):  # the first word of the request is another person's
            assert _everywhere() == (SV, "Logga in", "Logga in")
        assert _everywhere() == (EN, "Sign in", "Sign in"), "then the request's own (?lang=en)"


def test_refresh_chooses_the_language_again(app: Flask) -> None:
    with app.test_request_context("/", headers={"Accept-Language": "sv"}):
        assert _everywhere()[1] == "Logga in"
        from flask import session

        session["locale"] = "en"
        refresh()
        assert _everywhere() == (EN, "Sign in", "Sign in")


def test_an_english_page_is_english_and_a_swedish_one_swedish(
    client: PageClient, demo: Demo
) -> None:
    page = client.get_page("/sign-in?lang=en")
    assert page.one("html").attrs["lang"] == "en"
    assert page.one("h1").text.strip() == "Sign in"
    sign_in(client, demo, "gunnel")
    home = client.get_page("/me/")
    assert home.one("html").attrs["lang"] == "en"
    english = home.text
    client.get("/language/sv?next=/me/")
    home = client.get_page("/me/")
    assert home.one("html").attrs["lang"] == "sv"
    assert home.text != english
    assert "Logga ut" in home.text and "Sign out" in english
