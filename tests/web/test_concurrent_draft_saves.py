"""Ten people save the same draft at the same moment: exactly one wins, and every one who
lost gets their own words back beside the saved version (issue 12, point 5). Runs on SQLite
and, with --postgres, on PostgreSQL."""

from __future__ import annotations

import threading

from flask import Flask

from portal import db
from portal.models import Plan
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient
from tests.web.test_meeting_record import _form, _ids

SAVERS = 10


def test_ten_parallel_conflicting_draft_saves_have_one_winner_and_keep_every_losers_input(
    app: Flask, demo: Demo, signed_in
) -> None:
    ids = _ids(app)
    recorder = signed_in("eva")
    recorded = recorder.post_form(f"/staff/meetings/{ids['meeting']}/record", _form(ids))
    assert recorded.status_code == 303
    with app.app_context():
        draft = db.session().get(Plan, ids["plan"]).versions[-1]
        url = f"/staff/plans/{ids['plan']}/versions/{draft.id}/edit"
        version = draft.row_version
    clients = []
    for _ in range(SAVERS):  # each in their own browser, all from the same page
        client = PageClient(app.test_client())
        sign_in(client, demo, "lena")
        client.get_page(url)
        clients.append(client)
    start = threading.Barrier(SAVERS)
    answers: dict[int, tuple[int, str]] = {}

    def save(n: int) -> None:
        form = _form(ids, **{"goal-0-text": f"Mål nummer {n} med mina egna ord."})
        form["row_version"] = str(version)
        start.wait()
        response = clients[n].post_form(url, form)
        answers[n] = (response.status_code, response.get_data(as_text=True))

    threads = [threading.Thread(target=save, args=(n,)) for n in range(SAVERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(status for status, _ in answers.values())
    assert statuses == [303] + [409] * (SAVERS - 1), statuses
    winner = next(n for n, (status, _) in answers.items() if status == 303)
    for n, (status, html) in answers.items():
        if status == 409:
            assert f"Mål nummer {n} med mina egna ord." in html  # their input, kept
            assert "Någon annan har sparat under tiden" in html
    with app.app_context():
        saved = db.session().get(Plan, ids["plan"]).versions[-1]
        assert saved.row_version == version + 1
        assert saved.goals[0].text == f"Mål nummer {winner} med mina egna ord."
