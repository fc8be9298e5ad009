"""gunicorn's settings, the one place `make run` and `make bench-load` read them (ADR 0105).

Sync workers: one request at a time per process, so the thread that holds an audit chain's
lock (a PostgreSQL row lock, or SQLite's one writer lock) to its commit is never made to wait
for the GIL while another thread of the same process renders a page. `WEB_WORKERS` processes
(default: one per core this process may run on, each placed on a core of its own, ADR 0117);
each is a separate interpreter, so a PDF being drawn holds one process and not a share of
every request. Sync workers read a request
straight from the socket: in production they belong behind a proxy that buffers requests
(README: Running in production); a worker that is stuck longer than `timeout` is replaced.
"""

import gc
import os

worker_class = "sync"
workers = int(os.environ.get("WEB_WORKERS") or len(os.sched_getaffinity(0)))


def _limits_counted_per_process() -> bool:
    """Whether the app's rate limits count in each process's memory (`memory://`, the demo's
    default without a store): then two processes would each allow the limit (ADR 0115)."""
    from portal import config  # the app's own reading of its settings

    return str(config.load().get("RATELIMIT_STORAGE_URI") or "").startswith("memory://")


def _served_workers(asked: int) -> int:
    """The number of workers to serve: `asked`, or one when the rate limits count per process
    (a limit of 30 a minute is 30, and not 30 for each worker). A shared store
    (RATELIMIT_STORAGE_URI=redis://…; `make run` starts one) keeps them all."""
    if asked > 1 and _limits_counted_per_process():
        print(
            "gunicorn.conf.py: rate limits in memory:// count per process: 1 worker, not "
            f"{asked} (set RATELIMIT_STORAGE_URI to a shared store for more)",
            flush=True,
        )
        return 1
    return asked


workers = _served_workers(workers)


def nworkers_changed(server, new_value, old_value):  # the arbiter, whenever its number changes
    # The same rule for a number asked for past this file: `-w 4` and GUNICORN_CMD_ARGS (which
    # gunicorn prefers to the `workers` above), a reload, and TTIN sent to the arbiter. Setting
    # it calls this again, with 1: nothing more to do.
    if _served_workers(new_value) != new_value:
        server.num_workers = 1


timeout = 30
graceful_timeout = 20
# Each worker tells the arbiter it is alive by touching a file, once a request. gunicorn's
# documentation warns that on a disk-backed file system this "may block a worker for arbitrary
# time" (here /tmp is ext4): in memory, where there is /dev/shm. gunicorn makes the file with
# `tempfile.mkstemp` (a random name, O_EXCL, mode 600) and unlinks it at once.
SHARED_MEMORY = "/dev/shm"  # noqa: S108 (mkstemp in it, as above)
worker_tmp_dir = SHARED_MEMORY if os.access(SHARED_MEMORY, os.W_OK) else None

# Each worker on a core of its own (ADR 0117): a sync worker that stays on one core finds its
# caches warm after every wait for the database, where the scheduler would otherwise move it
# between cores. WEB_PIN_WORKERS=0 leaves the placing to the kernel (a host shared with other
# heavy work).
PIN_WORKERS = os.environ.get("WEB_PIN_WORKERS", "1") != "0"


def pre_fork(server, worker):  # the arbiter, before each worker's fork (also a replacement)
    cores = sorted(os.sched_getaffinity(0))
    if not PIN_WORKERS or len(cores) < 2:
        return
    taken = [getattr(w, "core", None) for w in server.WORKERS.values()]
    worker.core = min(cores, key=lambda core: (taken.count(core), core))


def post_fork(server, worker):  # the new worker, right after the fork
    core = getattr(worker, "core", None)
    if core is not None:
        try:
            os.sched_setaffinity(0, {core})
        except OSError:  # a sandbox that refuses: the kernel places it, as before
            worker.core = None


# The collector's full pass walks every object the app has made, about 275,000 once it has
# served each page (a few hundred ms on one core), and under load every request queued on
# that process waits for it. Objects made while loading the app, and in the first requests
# (compiled templates, cached statements), live as long as the process: frozen, the
# collector no longer walks them (ADR 0106).
WARM_REQUESTS = 500


def post_worker_init(worker):  # gunicorn calls it once the app is loaded
    # Every template compiled now, before the first request: otherwise each process compiles
    # a page's templates on its first request of that page (80-150 ms for the staff plan
    # page) while the requests queued on it wait.
    environment = worker.wsgi.jinja_env
    for name in environment.list_templates():
        environment.get_template(name)
    gc.collect()
    gc.freeze()


def post_request(worker, req, environ, resp):  # gunicorn calls it after each request
    if worker.nr == WARM_REQUESTS:
        # Only the young generations: a full pass here would walk what the first requests
        # made (40-150 ms) while requests queue on this process; what is garbage in the old
        # generation now is kept for the process's life instead (a few kB, once).
        gc.collect(1)
        gc.freeze()
