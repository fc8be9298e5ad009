"""Every kind of audit event, by name. Services write `EventType.X.value` into `AuditEvent.type`.

The individual's access log shows each one in plain words from `portal.presenters.audit`;
a test fails when a type is written anywhere in the code without being listed here.
"""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    # reads of the individual's own pages (person blueprint: "<what>.read")
    HOME_READ = "home.read"
    PLAN_READ = "plan.read"
    PLAN_VERSION_READ = "plan_version.read"
    PLAN_PDF_READ = "plan_pdf.read"
    PLAN_PDF_STAFF_READ = "plan_pdf.staff_read"
    MEETING_READ = "meeting.read"
    MEETING_ICS_READ = "meeting_ics.read"
    FOLLOW_UP_ICS_READ = "follow_up_ics.read"
    CALENDAR_FEED_READ = "calendar.feed_read"
    CONSENT_READ = "consent.read"
    DELEGATIONS_READ = "delegations.read"
    COORDINATOR_READ = "coordinator.read"
    COORDINATOR_WISH_READ = "coordinator_wish.read"
    REQUESTS_READ = "requests.read"
    PREPARATION_READ = "preparation.read"
    ACCESS_LOG_READ = "access_log.read"
    ACCESS_LOG_PDF_READ = "access_log_pdf.read"
    WORKLIST_READ = "worklist.read"
    INDIVIDUAL_LOOKUP = "individual.lookup"
    # the plan's life
    INDIVIDUAL_REGISTER = "individual.register"
    PLAN_START = "plan.start"
    PLAN_DRAFT = "plan.draft"
    PLAN_DRAFT_EDIT = "plan.draft_edit"
    PLAN_SIGN = "plan.sign"
    PLAN_FOLLOW_UP = "plan.follow_up"
    PLAN_DEFER = "plan.defer"
    PLAN_REASSESS = "plan.reassess"
    PLAN_CLOSE = "plan.close"
    MEETING_INVITE = "meeting.invite"
    MEETING_ACKNOWLEDGE = "meeting.acknowledge"
    MEETING_RECORD = "meeting.record"
    PREPARATION_SHARE = "preparation.share"
    PREPARATION_SAVE = "preparation.save"
    REQUEST_SEND = "request.send"
    REQUEST_ACKNOWLEDGE = "request.acknowledge"
    COORDINATOR_WISH = "coordinator.wish"
    COORDINATOR_APPOINT = "coordinator.appoint"
    COORDINATOR_HAND_OVER = "coordinator.hand_over"
    COORDINATOR_ACCEPT = "coordinator.accept"
    COORDINATOR_DECLINE = "coordinator.decline"
    COORDINATOR_HANDOVER_WITHDRAWN = "coordinator.handover_withdrawn"
    # consent
    CONSENT_GIVE = "consent.give"
    CONSENT_WITHDRAW = "consent.withdraw"
    CONSENT_RECORD = "consent.record"
    CONSENT_WITHDRAWAL_HANDLED = "consent.withdrawal_handled"
    # relatives, representatives, accounts
    DELEGATION_GRANT = "delegation.grant"
    DELEGATION_CHANGE = "delegation.change"
    DELEGATION_REVOKE = "delegation.revoke"
    REPRESENTATIVE_RECORD = "representative.record"
    INVITATION_CREATE = "invitation.create"
    INVITATION_REDEEM = "invitation.redeem"
    INVITATION_REVOKE = "invitation.revoke"
    ACCOUNT_SIGN_IN = "account.sign_in"
    ACCOUNT_CONFIRM = "account.confirm"
    ACCOUNT_SIGN_OUT_EVERYWHERE = "account.sign_out_everywhere"
    ACCOUNT_LOCALE = "account.locale"
    PASSKEY_ADD = "passkey.add"
    PASSKEY_REMOVE = "passkey.remove"
    PASSKEY_RENAME = "passkey.rename"
    CALENDAR_FEED_CREATE = "calendar.feed_create"
    CALENDAR_FEED_REVOKE = "calendar.feed_revoke"
    ACCESSIBILITY_REPORT = "accessibility.report"
    DEMO_LOAD = "demo.load"
