"""Set-based SQL that grows a region on PostgreSQL: INSERT … SELECT generate_series.

Generated rows get ids from OFFSET up (the app's own rows keep the sequences' small ids),
except audit events, which take the sequence so that later appends follow them. Generated
audit history is filler: its links are not MACs (only `--full` reads them; ADR 0080) and a
checkpoint is written after it, as `audit-verify` would after checking it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

OFFSET = 100_000_000


@dataclass(frozen=True)
class Size:
    individuals: int
    plans: int
    staff: int
    units: int
    events: int

    def scaled(self, factor: float) -> Size:
        return Size(*(max(1, int(v * factor)) for v in vars(self).values()))


REGION = Size(individuals=1_000_000, plans=200_000, staff=20_000, units=2_000, events=10_000_000)

STEPS = [
    (
        "units",
        """INSERT INTO units (id, organisation_id, name, kind, phone, email)
        SELECT :o + g, (SELECT min(id) FROM organisations), 'Enhet ' || g,
          (ARRAY['home_help','home_health_care','health_centre','needs_assessment'])[1 + g % 4],
          '010-000 00 00', 'enhet' || g || '@example.se'
        FROM generate_series(:u0, :u1 - 1) g""",
    ),
    (
        "staff",
        """INSERT INTO staff (id, unit_id, given_name, family_name, profession, title, phone,
          email, is_unit_admin, is_system_admin, is_care_contact)
        SELECT :o + g, :o + g % :units, 'Personal', 'Nummer ' || g,
          (ARRAY['needs_assessor','district_nurse','nurse','social_worker'])[1 + g % 4],
          'Handläggare', '010-000 00 00', 's' || g || '@example.se', false, false, false
        FROM generate_series(:s0, :s1 - 1) g""",
    ),
    (
        "individuals",
        """INSERT INTO individuals (id, personal_identity_number, given_name, family_name,
          registered_address, phone, email, preferred_locale, created_at)
        SELECT :o + g, '1' || lpad(g::text, 11, '0'), 'Person', 'Nummer ' || g, 'Gatan 1',
          '', '', 'sv', now()
        FROM generate_series(:i0, :i1 - 1) g""",
    ),
    (
        "plans",
        """INSERT INTO plans (id, number, individual_id, context, state, convener_id, sip_wished,
          cannot_consent_note, created_at, close_note, row_version)
        SELECT :o + g, 'SIP-G' || g, :o + (g * 5) % :individuals, 'at_home',
          (ARRAY['initiated','invited','established','established','established','established',
                 'following_up','following_up','closed','closed'])[1 + g % 10],
          CASE WHEN g % :busy = 0 THEN :fatima ELSE :o + g % :staff END, true, '',
          now() - (g % 700) * interval '1 day', '', 1
        FROM generate_series(:p0, :p1 - 1) g""",
    ),
    (
        "plan_versions",
        """INSERT INTO plan_versions (id, plan_id, number, status, change_summary,
          follow_up_how, approval_note, created_at, row_version)
        SELECT :o + g * 2 + v, :o + g, v + 1,
          CASE WHEN v = 0 AND g % 10 IN (6, 7) THEN 'superseded' ELSE 'signed' END,
          '', 'Telefon', '', now(), 1
        FROM generate_series(:p0, :p1 - 1) g CROSS JOIN generate_series(0, 1) v
        WHERE g % 10 >= 2 AND (v = 0 OR g % 10 IN (6, 7))""",
    ),
    (
        "goals",
        """INSERT INTO goals (id, version_id, position, text)
        SELECT pv.id * 2 + k - :o, pv.id, k, 'Mål ' || k
        FROM plan_versions pv CROSS JOIN generate_series(0, 1) k
        WHERE pv.id >= :o + :p0 * 2 AND pv.id < :o + :p1 * 2""",
    ),
    (
        "interventions",
        """INSERT INTO interventions (id, goal_id, position, what, unit_id, legal_basis,
          frequency)
        SELECT g.id, g.id, 0, 'Insats', :o + (g.id % :units), 'SoL', 'varje vecka'
        FROM goals g WHERE g.version_id >= :o + :p0 * 2 AND g.version_id < :o + :p1 * 2""",
    ),
    (
        "meetings",
        """INSERT INTO meetings (id, plan_id, kind, status, purpose, questions, convener_id,
          starts_at, form, place, join_info, cancel_reason, record_notes, created_at,
          row_version)
        SELECT :o + g, :o + g, 'first',
          CASE WHEN g % 10 = 1 THEN 'planned' ELSE 'held' END, 'Planera', '',
          CASE WHEN g % :busy = 0 THEN :fatima ELSE :o + g % :staff END,
          now() + (g % 60 - 30) * interval '1 day', 'home', '', '', '', '', now(), 1
        FROM generate_series(:p0, :p1 - 1) g WHERE g % 10 >= 1""",
    ),
    (
        "meeting_participants",
        """INSERT INTO meeting_participants (id, meeting_id, role, staff_id, unit_id, other_name)
        SELECT m.id * 2 + k - :o, m.id, 'called', :o + (m.id + k) % :staff,
          :o + ((m.id + k) % :staff) % :units, ''
        FROM meetings m CROSS JOIN generate_series(0, 1) k
        WHERE m.id >= :o + :p0 AND m.id < :o + :p1""",
    ),
    (
        "follow_ups",
        """INSERT INTO follow_ups (id, plan_id, due_on, form, how)
        SELECT :o + g, :o + g, current_date + (g % 90), 'phone', 'Telefon'
        FROM generate_series(:p0, :p1 - 1) g WHERE g % 10 IN (6, 7)""",
    ),
    (
        "coordinator_assignments",
        """INSERT INTO coordinator_assignments (id, plan_id, staff_id, reason, appointed_at,
          accepted_at)
        SELECT :o + g, :o + g, CASE WHEN g % :busy = 0 THEN :fatima ELSE :o + g % :staff END,
          'Tabellen', now(), now()
        FROM generate_series(:p0, :p1 - 1) g WHERE g % 10 BETWEEN 3 AND 7""",
    ),
    (
        "consent_events",
        """INSERT INTO consent_events (id, plan_id, unit_id, status, method, effective_at,
          recorded_at, recorded_by_account_id, on_behalf_of_individual, note)
        SELECT :o + g, :o + g, :o + (g % :staff) % :units, 'given', 'digital', now(), now(),
          :fatima_account, false, ''
        FROM generate_series(:p0, :p1 - 1) g WHERE g % 10 >= 2""",
    ),
    (
        # Years of messages (ADR 0118): the busy staff member's about her plans and the
        # individual's about hers, one for every 200 audit events (50,000 at 1 M, 50 at 1 k),
        # every one read but the newest 40, the same few unread at every size.
        "notifications",
        """INSERT INTO notifications (id, account_id, plan_id, kind, created_at, read_at)
        SELECT :o + g,
          CASE WHEN g % 4 = 0 THEN :gunnel_account ELSE :fatima_account END,
          CASE WHEN g % 4 = 0 THEN :plan ELSE :o + (g / 4 % 40) * :busy END,
          CASE WHEN g % 4 = 0 THEN (ARRAY['meeting.invited','plan.new_version'])[1 + g / 4 % 2]
            ELSE (ARRAY['consent.given','request.sooner_follow_up','coordinator.wish'])
              [1 + g % 3] END,
          now() - (:n1 - g) * interval '1 hour',
          CASE WHEN g < :n1 - 40 THEN now() - (:n1 - g) * interval '1 hour' + interval '1 minute'
          END
        FROM generate_series(:n0, :n1 - 1) g""",
    ),
    (
        "audit_events",
        """INSERT INTO audit_events (type, at, actor_account_id, actor_role, actor_name,
          actor_unit, on_behalf_of_individual_id, subject_individual_id, object_type,
          object_id, detail, chain, seq, prev_hash, hash)
        SELECT 'plan.read', now() - (:e1 - g) * interval '1 second', :fatima_account, 'staff',
          'Personal', 'Enhet', NULL, :o + g % :individuals, 'plan', NULL, '',
          'i:' || (:o + g % :individuals), g, md5(g::text) || md5(g::text),
          md5((g + 1)::text) || md5((g + 1)::text)
        FROM generate_series(:e0, :e1 - 1) g""",
    ),
]


# One head per generated chain, as appends leave them (their MACs are filler too: incremental
# verification reads only heads moved since the checkpoint).
HEADS = """INSERT INTO audit_heads (chain, seq, hash, last_event_id, mac)
    SELECT DISTINCT ON (chain) chain, seq, hash, id, ''
    FROM audit_events WHERE id >= :first AND chain LIKE 'i:%'
    ORDER BY chain, seq DESC
    ON CONFLICT (chain) DO NOTHING"""


def grow(engine: sa.Engine, before: Size, after: Size, ids: dict[str, int]) -> None:
    """Add the rows that take the region from `before` to `after` (one transaction a step)."""
    params = {
        "o": OFFSET,
        "u0": before.units, "u1": after.units,
        "s0": before.staff, "s1": after.staff,
        "i0": before.individuals, "i1": after.individuals,
        "p0": before.plans, "p1": after.plans,
        "e0": before.events, "e1": after.events,
        "n0": before.events // 200, "n1": after.events // 200,
        "units": after.units,
        "staff": after.staff,
        "individuals": after.individuals,
        "busy": max(1, after.plans // 40) if before.plans == 0 else 10**12,
        **ids,
    }  # fmt: skip
    with engine.connect() as db:
        first = db.scalar(sa.text("SELECT coalesce(max(id), 0) + 1 FROM audit_events"))
    for _name, sql in STEPS:
        with engine.begin() as db:
            db.execute(sa.text(sql), params)
    with engine.begin() as db:
        db.execute(sa.text(HEADS), {"first": first})
    with engine.begin() as db:
        db.execute(sa.text("ANALYZE"))


def access_history(engine: sa.Engine, subject: int, events: int, ids: dict[str, int]) -> None:
    """An individual's 10,000 earlier reads (filler history in a chain of their own)."""
    with engine.begin() as db:
        db.execute(
            sa.text(
                """INSERT INTO audit_events (type, at, actor_account_id, actor_role, actor_name,
                  actor_unit, on_behalf_of_individual_id, subject_individual_id, object_type,
                  object_id, detail, chain, seq, prev_hash, hash)
                SELECT 'plan.read', now() - g * interval '1 minute', :fatima_account, 'staff',
                  'Personal', 'Enhet', NULL, :subject, 'plan', NULL, '', 'history:' || :subject,
                  g, md5(g::text) || md5(g::text), md5((g + 1)::text) || md5((g + 1)::text)
                FROM generate_series(1, :events) g"""
            ),
            {"subject": subject, "events": events, **ids},
        )
