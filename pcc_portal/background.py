"""Work done beside the requests: renders, packs, published files, emails, the search index.

Every task the portal enqueues is made with `background_task`. A task that fails is tried again
a little later (up to `ATTEMPTS` times in all), then reported: logged as an error and handed to
the task's `failed` function, which tells whoever waits for it. Each attempt is a separate,
whole transaction in the task itself, so a failed attempt leaves nothing half done.

Where the tasks run is the `TASKS` setting: the database queue of django-tasks-db, which
`manage.py db_worker` works through (claiming each task with SELECT ... FOR UPDATE SKIP LOCKED on
PostgreSQL), or the immediate backend, which runs a task at once in whoever enqueued it.
"""

import functools
import logging
from datetime import timedelta

from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

ATTEMPTS = 3
# How long a worker waits before the second and third attempts: long enough for a storage
# or database hiccup to pass, short enough that someone waiting sees the result soon.
RETRY_AFTER = (timedelta(seconds=15), timedelta(seconds=60))


def background_task(function=None, *, attempts: int = ATTEMPTS, failed=None):
    """Makes `function` a django.tasks task that is tried again when it raises, then reported.

    `failed(*args, error=..., **kwargs)`, when given, runs after the last attempt has failed.
    The attempt number travels with the task as the keyword argument `attempt`.
    """

    def decorate(function):
        @functools.wraps(function)
        def attempt_run(*args, attempt: int = 1, **kwargs):
            try:
                return function(*args, **kwargs)
            except Exception as error:
                if attempt < attempts:
                    logger.warning(
                        "%s failed (attempt %d of %d); trying again", name, attempt, attempts,
                        exc_info=True,
                    )  # fmt: skip
                    _retry(the_task, attempt).enqueue(*args, attempt=attempt + 1, **kwargs)
                else:
                    logger.error("%s failed %d times; giving up", name, attempts, exc_info=True)
                    if failed is not None:
                        failed(*args, error=error, **kwargs)
                raise  # the attempt itself is recorded as failed

        name = f"{function.__module__}.{function.__qualname__}"
        the_task = task(attempt_run)
        return the_task

    return decorate(function) if function is not None else decorate


def _retry(the_task, attempt: int):
    """The task to enqueue for the next attempt: deferred when the backend can defer."""
    if not the_task.get_backend().supports_defer:
        return the_task
    delay = RETRY_AFTER[min(attempt, len(RETRY_AFTER)) - 1]
    return the_task.using(run_after=timezone.now() + delay)


def background_queue_run() -> bool:
    """Works through the database queue until nothing is ready to run, for whoever needs the
    work done before going on (the demo, the measuring scripts). False, doing nothing, when
    tasks run at once anyway."""
    from django.core.management import call_command
    from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend

    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return False
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    return True


def failure_reason(error: BaseException) -> str:
    """What went wrong, in a sentence a member of staff can pass on."""
    text = str(error).strip() or type(error).__name__
    return text if len(text) <= 300 else text[:299] + "…"
