"""Staff pages: worklist, invitations, meeting records, coordinator handover, follow-up.

Every module in this package is a group of views; they are imported by `discover`.
"""

import sys

from flask import Blueprint

blueprint = Blueprint("staff", __name__, url_prefix="/staff")

from portal.web.discover import import_views  # noqa: E402

import_views(sys.modules[__name__])
