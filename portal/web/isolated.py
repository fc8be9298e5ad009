"""One row of a list rendered on its own: a row that cannot be shown becomes a plain
placeholder and is logged, and the rest of the page is still shown (issue 12, point 2).

    {% isolated "tr", 4 %}{{ worklist_row(row) }}{% endisolated %}

The first argument is the element the row is ("tr", "li" or anything else for a block), the
second how many columns a table row spans. The log line names the error's type and the frames
it passed, never its message or the values (they may hold what someone wrote).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import g, has_request_context
from flask_babel import gettext as _
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup, escape

from portal.errors import where_it_broke
from portal.web.fingerprint import PerRequestReadError

logger = logging.getLogger(__name__)


def rows_left_out() -> int:
    """How many rows this request has left out so far: a cache of rendered HTML keeps no
    block with a placeholder in it (the next request tries the row again)."""
    return int(g.get("rows_left_out", 0)) if has_request_context() else 0


def placeholder(element: str, columns: int = 1) -> Markup:
    words = escape(
        _("Det här kunde inte visas. Felet är loggat; resten av sidan visas som vanligt.")
    )
    if element == "tr":
        return Markup('<tr class="row-failed"><td colspan="%d">%s</td></tr>') % (columns, words)
    if element == "li":
        return Markup('<li class="row-failed">%s</li>') % words
    return Markup('<div class="row-failed notice notice--warning"><p>%s</p></div>') % words


class IsolatedRows(Extension):
    tags = {"isolated"}

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        element = parser.parse_expression()
        columns: nodes.Expr = nodes.Const(1)
        if parser.stream.skip_if("comma"):
            columns = parser.parse_expression()
        body = parser.parse_statements(("name:endisolated",), drop_needle=True)
        call = self.call_method("_render", [element, columns, nodes.Const(parser.name or "")])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _render(self, element: str, columns: int, template: str, caller: Callable[[], str]) -> str:
        try:
            return caller()
        except PerRequestReadError:  # a kept block's key is incomplete: a bug to see, not to hide
            raise
        except Exception as error:
            logger.error("a row of %s left out: %s", template, where_it_broke(error))
            if has_request_context():
                g.rows_left_out = rows_left_out() + 1
            return placeholder(element, columns)
