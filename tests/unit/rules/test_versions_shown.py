"""Which version a follow-up evaluates and which one the individual's pages show. Pure."""

from __future__ import annotations

from types import SimpleNamespace

from portal.rules.follow_up import signed_versions, version_shown, version_to_follow_up
from portal.rules.vocabulary import VersionStatus

S = VersionStatus


def _versions(*statuses: VersionStatus) -> list[SimpleNamespace]:
    # stored out of order on purpose: the rules go by number, not by list position
    return [SimpleNamespace(number=n, status=s) for n, s in reversed(list(enumerate(statuses, 1)))]


def test_the_newest_signed_version_is_shown_and_followed_up_even_with_a_draft_after_it() -> None:
    versions = _versions(S.SUPERSEDED, S.SIGNED, S.DRAFT)
    assert [v.number for v in signed_versions(versions)] == [2]
    assert version_to_follow_up(versions).number == 2
    assert version_shown(versions).number == 2


def test_before_any_signing_the_newest_draft_is_shown_and_nothing_is_followed_up() -> None:
    versions = _versions(S.DRAFT)
    assert version_to_follow_up(versions) is None
    assert version_shown(versions).number == 1


def test_a_plan_without_versions_shows_none() -> None:
    assert version_shown([]) is None
