"""The health check of pooled PostgreSQL connections (``DATABASES`` in config/settings.py).

psycopg_pool checks each connection as it hands it out and replaces the broken ones, but tries
the next idle one only after a growing pause (0 s, 1 s, 2 s…). After a database restart every
idle connection is broken, so with three or more of them a request would run past the pool's
timeout and answer 503 with the database already back. One broken connection is taken as news
about all of them: the whole idle pool is drained (psycopg_pool opens fresh connections in the
background) and the request waits only for the first fresh one.

Imported by the settings, so it imports nothing from Django or the apps.
"""

from typing import Any

from psycopg_pool import ConnectionPool


def check_connection(conn: Any) -> None:
    try:
        ConnectionPool.check_connection(conn)
    except Exception:
        # The pool sets itself on a connection it is handing out (psycopg_pool 3.2+), before the
        # check runs.
        pool = getattr(conn, "_pool", None)
        if isinstance(pool, ConnectionPool):
            pool.drain()
        raise
