"""The yardstick for make bench-load: a bare Flask route rendering a trivial template."""

from __future__ import annotations

from flask import Flask, render_template_string

app = Flask(__name__)
PAGE = "<!doctype html><html lang=sv><title>{{ title }}</title><h1>{{ title }}</h1></html>"


@app.get("/")
def index() -> str:
    return render_template_string(PAGE, title="Hej")
