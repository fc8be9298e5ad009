"""gunicorn's settings, the one place `make run` and `make bench-load` read them (ADR 0105).

Sync workers: one request at a time per process, so the thread that holds an audit chain's
lock (a PostgreSQL row lock, or SQLite's one writer lock) to its commit is never made to wait
for the GIL while another thread of the same process renders a page. `WEB_WORKERS` processes
(default 2, one per core of a small machine); each is a separate interpreter, so a PDF being
drawn holds one process and not a share of every request. Sync workers read a request
straight from the socket: in production they belong behind a proxy that buffers requests
(README: Running in production); a worker that is stuck longer than `timeout` is replaced.
"""

import os

worker_class = "sync"
workers = int(os.environ.get("WEB_WORKERS", "2"))
timeout = 30
graceful_timeout = 20
