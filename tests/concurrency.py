"""Running calls at the same moment on separate database connections, for the race tests
(PostgreSQL: SQLite serialises writers)."""

import threading

from django.db import connections


def run_together(*calls):
    """Run each call in its own thread, released together by a barrier; returns each call's
    result, or the exception it raised, in the order given."""
    barrier = threading.Barrier(len(calls), timeout=10)
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # the caller's assertions read it
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def decisions_at_once(**calls):
    """{name: "applied" or the refusal's message} of decisions run at the same moment."""
    from aiii.errors import Conflict

    results = run_together(*calls.values())
    outcomes = {}
    for name, result in zip(calls, results, strict=True):
        if isinstance(result, Conflict):
            outcomes[name] = result.message
        elif isinstance(result, Exception):
            raise result
        else:
            outcomes[name] = "applied"
    return outcomes
