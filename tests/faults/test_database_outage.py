"""PostgreSQL stopped for ten seconds under requests: gunicorn answers the NHS.UK 503
page (never a 500) while it is down and serves again within seconds of its return, with
no restart, and from then on every request (the pool checks its connections: none is
handed a dead one); the worker and beat carry on, and work queued afterwards is done once.
"""

import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest
from django.db import connection

from tests.directory.factories import service_with
from tests.faults.conftest import Stack, wait_for
from tests.faults.work import all_sent, queue_emails

pytestmark = pytest.mark.faults

OUTAGE_SECONDS = 10


@dataclass
class Answer:
    asked: float
    at: float
    status: int
    body: str
    retry_after: str | None


def get(url: str) -> Answer:
    asked = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return Answer(asked, time.monotonic(), response.status, response.read().decode(), None)
    except urllib.error.HTTPError as error:
        body = error.read().decode(errors="replace")
        return Answer(asked, time.monotonic(), error.code, body, error.headers.get("Retry-After"))


class Requests(threading.Thread):
    """A visitor asking for the same page again and again."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.answers: list[Answer] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            self.answers.append(get(self.url))
            time.sleep(0.2)


def test_a_database_outage_answers_503_then_recovers_without_a_restart(stack: Stack):
    worker = stack.start("worker")
    beat = stack.start("beat")
    # (a request waits for a connection 3 seconds, not 10, so ten seconds show several)
    web = stack.start("web", DATABASE_POOL_TIMEOUT="3")
    # A listing's page: read from the database on every request (an empty directory's
    # search page may be answered from the cache alone)
    service = service_with(name="Tuesday lunch club")
    url = f"http://127.0.0.1:{stack.web_port}/directory/services/{service.pk}/"
    wait_for("the listing served", lambda: get(url).status == 200)
    requests = Requests(url)
    requests.start()
    try:
        time.sleep(1)
        # When PostgreSQL stops for ten seconds under requests
        connection.close()
        stack.postgres.stop()
        down_at = time.monotonic()
        time.sleep(OUTAGE_SECONDS)
        stack.postgres.start()
        up_at = time.monotonic()
        # Then the service answers again by itself
        wait_for(
            "five pages in a row served after the outage",
            lambda: [a.status for a in requests.answers if a.asked > up_at][-5:] == [200] * 5,
        )
    finally:
        requests.stopping.set()
        requests.join()

    during = [a for a in requests.answers if down_at < a.asked and a.at < up_at]
    after = [a.status for a in requests.answers if a.asked > up_at]
    print(  # noqa: T201  (with -s: what a visitor saw)
        f"before: {[a.status for a in requests.answers if a.at < down_at]}\n"
        f"during: {[a.status for a in during]}\nafter: {after}"
    )
    assert during, "requests were answered while the database was down"
    assert {a.status for a in requests.answers} <= {200, 503}, "never a 500"
    # (a request asked as it came back may still wait out the pool's reconnection delay)
    served = next(a for a in requests.answers if a.asked > up_at and a.status == 200)
    assert served.at - up_at < 15, "served again within seconds"
    # Two gunicorn workers, each with its own pool: one may still be waiting out its
    # reconnection delay when the other serves again, so a 503 may follow the first 200,
    # but only in the seconds after the database came back; then every answer is a 200.
    late = [a for a in requests.answers if a.asked > served.asked and a.status != 200]
    assert all(a.asked - up_at < 15 for a in late), "503s stop once the pools reconnect"
    for answer in during:
        assert answer.status == 503
        assert "Sorry, the service is unavailable" in answer.body
        assert answer.retry_after == "30"
    # And nothing was restarted: gunicorn booted its two workers once, the others live
    assert web.log().count("Booting worker") == 2
    for process in (web, worker, beat):
        assert process.popen.poll() is None, f"{process.role} outlived the outage"
    # And work queued after the outage is done, once
    emails = queue_emails("after", 2)
    wait_for("email queued after the outage sent", lambda: all_sent(emails))
    assert stack.mail_recipients() == {row.to_email: 1 for row in emails}
