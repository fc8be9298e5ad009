"""A person's shown name is one rule, the models' and the Core rows' (portal.rules.names)."""

from __future__ import annotations

from portal.models import Individual, Relative, Staff
from portal.rules.names import full_name


def test_given_name_then_family_name() -> None:
    assert full_name("Eva", "Sjöberg") == "Eva Sjöberg"


def test_the_models_name_people_by_the_rule() -> None:
    for model in (Individual, Relative, Staff):
        person = model(given_name="Anders", family_name="Öberg")
        assert person.name == full_name("Anders", "Öberg") == "Anders Öberg"
