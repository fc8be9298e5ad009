"""The layout walk's screenshots: a capture Chromium cannot make is tried again and then made
smaller, never a failed walk (the pictures are not what the walk measures)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.layout import screenshot


class Refusing:
    """A page whose first `refusals` captures fail as Chromium's do under load."""

    url = "http://127.0.0.1/me/"

    def __init__(self, refusals: int) -> None:
        self.refusals = refusals
        self.asked: list[dict] = []

    def screenshot(self, path: str, **options) -> None:
        self.asked.append(options)
        if len(self.asked) <= self.refusals:
            raise PlaywrightError(
                "Protocol error (Page.captureScreenshot): Unable to capture screenshot"
            )
        Path(path).write_bytes(b"png")

    def wait_for_timeout(self, ms: float) -> None:
        pass


@pytest.mark.parametrize(
    ("refusals", "last"),
    [
        (0, {"full_page": True}),
        (1, {"full_page": True}),
        (2, {"full_page": True, "scale": "css"}),
        (3, {"full_page": False}),
    ],
)
def test_a_refused_whole_page_is_tried_again_then_made_smaller(
    tmp_path: Path, refusals: int, last: dict
) -> None:
    page = Refusing(refusals)
    screenshot(page, tmp_path / "me.png", full_page=True)
    assert page.asked[-1] == last
    assert (tmp_path / "me.png").read_bytes() == b"png"


def test_a_page_chromium_never_captures_is_reported_not_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = Refusing(10)
    screenshot(page, tmp_path / "me.png", full_page=True)
    assert len(page.asked) == 4
    assert "no screenshot of http://127.0.0.1/me/ (me.png)" in capsys.readouterr().out
    assert not (tmp_path / "me.png").exists()
