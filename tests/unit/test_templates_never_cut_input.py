"""Nothing typed is ever lost: no template cuts what is typed or pasted.

A `maxlength` attribute makes the browser drop whatever is pasted past the limit without a
word. Every bound is the field contract's (ADR 0050): the server refuses an over-long value
with a message that states the limit, beside the field, and the page keeps all of it.
"""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_no_template_cuts_input_with_maxlength():
    cutting = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "maxlength" in path.read_text(encoding="utf-8").lower()
    ]
    assert cutting == []
