"""The templates' one-call gettext (ADR 0102) renders exactly what Jinja's own newstyle gettext
renders: the same catalogue, the same snippets, with and without autoescape."""

from __future__ import annotations

from io import BytesIO

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations
from jinja2 import Environment
from markupsafe import Markup

from portal.i18n import Catalogue
from portal.web import template_gettext


def _translations() -> Translations:
    catalog = Catalog(locale="en")
    catalog.add("Logga in", "Sign in")
    catalog.add("Hej %(name)s", "Hello %(name)s")
    catalog.add("<b>Viktigt</b>", "<b>Important</b>")
    catalog.add("100 %% klart", "100 %% done")
    catalog.add(("%(num)s plan", "%(num)s planer"), ("%(num)s plan", "%(num)s plans"))
    catalog.add("Öppna", "Open (door)", context="dörr")
    catalog.add(
        ("%(num)s dörr", "%(num)s dörrar"), ("%(num)s door", "%(num)s doors"), context="hus"
    )
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


SNIPPETS = [
    '{{ _("Logga in") }}',
    '{{ gettext("Logga in") }}',
    '{{ _("Inte översatt") }}',
    '{{ _("Hej %(name)s", name=who) }}',
    '{{ _("Hej %(name)s", name=who|safe) }}',
    '{{ _("<b>Viktigt</b>") }}',
    '{{ _("100 %% klart") }}',
    '{{ _("Hej %(name)s") }}',  # no variables: still formatted, so the missing key raises
    '{{ ngettext("%(num)s plan", "%(num)s planer", 1) }}',
    '{{ ngettext("%(num)s plan", "%(num)s planer", n) }}',
    '{{ ngettext("%(num)s plan", "%(num)s planer", n, num="<many>") }}',
    '{{ pgettext("dörr", "Öppna") }}',
    '{{ pgettext("dörr", "%(context)s: Öppna") }}',
    '{{ npgettext("hus", "%(num)s dörr", "%(num)s dörrar", n) }}',
    "{% trans %}Logga in{% endtrans %}",
    "{% trans name=who %}Hej {{ name }}{% endtrans %}",
    "{% trans %}100 % klart{% endtrans %}",
    "{% trans num=n %}{{ num }} plan{% pluralize %}{{ num }} planer{% endtrans %}",
    "{% trans count=1 %}{{ count }} plan{% pluralize %}{{ count }} planer{% endtrans %}",
    '{% trans "dörr" %}Öppna{% endtrans %}',
    '{% trans "hus" num=n %}{{ num }} dörr{% pluralize %}{{ num }} dörrar{% endtrans %}',
    '{% macro m() %}{{ _("Logga in") }}{% endmacro %}{{ m() }}',
    '{% autoescape false %}{{ _("Hej %(name)s", name=who) }}{% endautoescape %}',
    '{{ _("Logga in") }} {{ _("Logga in") }} {{ _("Hej %(name)s", name=who) }}',
]


def _render(env: Environment, source: str) -> str:
    try:
        return env.from_string(source).render(who="<Ann & Bo>", n=3)
    except Exception as error:  # the same error is the same semantics
        return f"{type(error).__name__}: {error}"


def _jinja_env(autoescape: bool, translations: Translations) -> Environment:
    env = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    return env


def _portal_env(autoescape: bool) -> Environment:
    env = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
    env.newstyle_gettext = True  # type: ignore[attr-defined] - as flask_babel leaves it
    env.globals.update(
        _=template_gettext.gettext,
        gettext=template_gettext.gettext,
        ngettext=template_gettext.ngettext,
        pgettext=template_gettext.pgettext,
        npgettext=template_gettext.npgettext,
    )
    return env


@pytest.mark.parametrize("autoescape", [True, False], ids=["autoescape", "plain"])
@pytest.mark.parametrize("source", SNIPPETS)
def test_renders_what_jinjas_newstyle_gettext_renders(
    monkeypatch: pytest.MonkeyPatch, source: str, autoescape: bool
) -> None:
    translations = _translations()
    catalogue = Catalogue(translations)
    monkeypatch.setattr(template_gettext, "_catalogue", lambda: catalogue)
    expected = _render(_jinja_env(autoescape, translations), source)
    portal = _portal_env(autoescape)
    assert _render(portal, source) == expected
    assert _render(portal, source) == expected, "the second time, from the memo, the same"


def test_autoescape_gives_markup_and_escapes_only_the_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    catalogue = Catalogue(_translations())
    monkeypatch.setattr(template_gettext, "_catalogue", lambda: catalogue)
    env = _portal_env(autoescape=True)
    assert env.from_string('{{ _("<b>Viktigt</b>") }}').render() == "<b>Important</b>"
    html = env.from_string('{{ _("Hej %(name)s", name=who) }}').render(who="<script>")
    assert html == "Hello &lt;script&gt;"
    assert env.from_string('{{ _("100 %% klart") }}').render() == "100 % done"
    assert isinstance(catalogue.escaped["<b>Viktigt</b>"], Markup)
    plain = _portal_env(autoescape=False)
    assert plain.from_string('{{ _("Hej %(name)s", name=who) }}').render(who="<b>") == "Hello <b>"
    assert plain.from_string('{{ _("<b>Viktigt</b>") }}').render() == "<b>Important</b>"
    assert type(catalogue.plain["<b>Viktigt</b>"]) is str, "with and without autoescape apart"


def test_a_message_with_variables_is_not_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue = Catalogue(_translations())
    monkeypatch.setattr(template_gettext, "_catalogue", lambda: catalogue)
    env = _portal_env(autoescape=True)
    for who in ("Ann", "Bo"):
        assert env.from_string('{{ _("Hej %(name)s", name=w) }}').render(w=who) == f"Hello {who}"
    assert catalogue.escaped == {}
