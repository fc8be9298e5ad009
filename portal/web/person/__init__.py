"""The individual's pages; a relative uses the same pages acting for the individual.

Every module in this package is a group of views; they are imported by `discover`.
"""

import sys

from flask import Blueprint

blueprint = Blueprint("person", __name__, url_prefix="/me")

from portal.web.discover import import_views  # noqa: E402

import_views(sys.modules[__name__])
