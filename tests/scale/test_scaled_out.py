"""The scaled-out shape works as docs/scaling.md says: one session across both web
processes, reports on the replica (never a write there) with its data age shown, a
stopped replica answered from the primary without an error, and queued work shared by
both workers with each effect once. Runs in file order: the replica is stopped last."""

from __future__ import annotations

import re
import time
from collections import Counter

import psycopg
import pytest
import requests
from django.urls import reverse

from outcomes.reports.base import default_range
from socialrx.core.models import Notification, NotificationStatus, OrganisationType, Role
from socialrx.core.signin import totp_code, totp_enrol
from tests.factories import TEST_PASSWORD, OrganisationFactory, user_with_role
from tests.faults.work import all_sent, queue_emails
from tests.helpers.mail import mail_recipients
from tests.helpers.signin import SECRET
from tests.outages import wait_until
from tests.scale.topology import WEBS, WORKERS, Topology

pytestmark = pytest.mark.scale

REQUESTS_PER_CHECK = 8
TASKS = 20
UP_TO_DATE = "Figures from the reporting database, up to date."
BEHIND = re.compile(r"Figures from the reporting database, (\d+) seconds? behind")
UNAVAILABLE = "The reporting database is unavailable"
SENT_BY_WORKER = re.compile(
    r"Task socialrx\.core\.tasks\.notification_send_task\[[^]]+\] succeeded"
)
# A write, in the replica's statement log (log_statement = 'all'): never expected there.
WRITE = re.compile(r"(statement|execute [^:]*): *(INSERT|UPDATE|DELETE|CREATE|ALTER|DROP)\b",
                   re.IGNORECASE)  # fmt: skip


def _csrf(page: requests.Response) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, f"no CSRF token on {page.url} ({page.status_code})"
    return found[1]


@pytest.fixture(scope="module")
def signed_in(topology: Topology) -> tuple[requests.Session, list[str]]:
    """A commissioner signed in through HAProxy with password and code, once; and the
    web process that served each step."""
    user = user_with_role(Role.COMMISSIONER, OrganisationFactory(org_type=OrganisationType.ICB))
    totp_enrol(user, SECRET)
    browser = requests.Session()
    served = []
    login = f"{topology.base_url}{reverse('login')}"
    page = browser.get(login, timeout=30)
    served.append(page.headers["X-Served-By"])
    response = browser.post(
        login,
        {"csrfmiddlewaretoken": _csrf(page), "login": user.email, "password": TEST_PASSWORD},
        headers={"Referer": login},
        timeout=30,
    )
    served.append(response.headers["X-Served-By"])
    assert reverse("mfa_authenticate") in response.url, f"no code asked for: {response.url}"
    response = browser.post(
        response.url,
        {"csrfmiddlewaretoken": _csrf(response), "code": totp_code(SECRET)},
        headers={"Referer": response.url},
        timeout=30,
    )
    served.append(response.headers["X-Served-By"])
    assert response.status_code == 200, response.text[:2000]
    return browser, served


def _report(topology: Topology, browser: requests.Session) -> requests.Response:
    start, end = default_range()
    return browser.get(
        f"{topology.base_url}{reverse('outcomes:report', args=['activity'])}",
        params={"start": start.isoformat(), "end": end.isoformat()},
        allow_redirects=False,
        timeout=60,
    )


def _replica_log(topology: Topology) -> str:
    return topology.replica.log_path.read_text(errors="replace")


def test_one_session_is_served_by_both_web_processes(topology, signed_in):
    browser, served = signed_in
    page = f"{topology.base_url}{reverse('outcomes:dashboard')}"
    for _ in range(REQUESTS_PER_CHECK):
        response = browser.get(page, allow_redirects=False, timeout=60)
        assert response.status_code == 200, f"{response.status_code} {response.headers}"
        served.append(response.headers["X-Served-By"])
    # Round robin: the sign-in's steps and the pages after it came from both processes
    assert set(served) == set(WEBS), served
    assert min(Counter(served).values()) >= REQUESTS_PER_CHECK // 2 - 1, served


def _replica_behind(replica: psycopg.Connection) -> bool:
    row = replica.execute("SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()").fetchone()
    return bool(row and row[0])


def test_reports_read_the_replica_and_show_its_data_age(topology, signed_in):
    browser, _served = signed_in
    before = len(_replica_log(topology))

    # When the report is opened with the replica streaming
    wait_until("the report up to date", lambda: UP_TO_DATE in _report(topology, browser).text)

    # Then its figures were read on the replica
    ran_there = _replica_log(topology)[before:]
    assert '"referrals_referral"' in ran_there, ran_there[-3000:]

    # When the replica stops replaying, and the primary writes on
    with psycopg.connect(topology.replica.url(), autocommit=True) as replica:
        replica.execute("SELECT pg_wal_replay_pause()")
        wait_until(
            "replay paused",
            lambda: replica.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()
            == ("paused",),
        )  # fmt: skip
        OrganisationFactory()
        wait_until("the write received, not replayed", lambda: _replica_behind(replica))
        time.sleep(2)

        # Then the page says how far behind its figures are
        response = _report(topology, browser)
        assert response.status_code == 200
        behind = BEHIND.search(response.text)
        assert behind, f"no data age on the page while replay was paused: {response.text}"
        assert int(behind[1]) >= 2
        replica.execute("SELECT pg_wal_replay_resume()")
    # and up to date again once the replica has caught up
    wait_until("caught up", lambda: UP_TO_DATE in _report(topology, browser).text)


def test_no_write_ever_reaches_the_replica(topology, signed_in):
    log = _replica_log(topology)
    assert "statement:" in log or "execute" in log, "the replica logged no statement at all"
    assert not WRITE.search(log), WRITE.search(log)
    assert "read-only transaction" not in log
    with psycopg.connect(topology.replica.url()) as replica:
        assert replica.execute("SELECT pg_is_in_recovery()").fetchone() == (True,)


def test_queued_work_spreads_across_both_workers_each_effect_once(topology):
    # When the web side queues emails, each a task on the shared broker
    rows = queue_emails("scale", TASKS)

    # Then every one is sent, once, and both workers took a share
    wait_until("every email sent", lambda: all_sent(rows), timeout=120)
    recipients = mail_recipients(topology.mail_dir)
    assert {f"scale{n}@test.example": 1 for n in range(TASKS)} == {
        address: count for address, count in recipients.items() if address.startswith("scale")
    }
    sent = Notification.objects.filter(pk__in=[row.pk for row in rows])
    assert set(sent.values_list("status", flat=True)) == {NotificationStatus.SENT}
    done = {name: len(SENT_BY_WORKER.findall(topology.processes[name].log())) for name in WORKERS}
    assert all(done.values()), f"emails sent per worker: {done}"
    assert sum(done.values()) == TASKS, f"emails sent per worker: {done}"


def test_a_replica_stopped_mid_run_sends_reports_to_the_primary(topology, signed_in):
    browser, _served = signed_in

    # When the replica's server stops while the web processes hold connections to it
    topology.replica.stop(mode="fast")

    # Then every web process answers reports from the primary, saying so; no error
    served = []
    for _ in range(REQUESTS_PER_CHECK):
        response = _report(topology, browser)
        assert response.status_code == 200, f"{response.status_code}: {response.text[:500]}"
        assert UNAVAILABLE in response.text
        served.append(response.headers["X-Served-By"])
    assert set(served) == set(WEBS)

    # and once the replica is back, reports read it again
    topology.replica.start()
    wait_until(
        "reports on the replica again", lambda: UP_TO_DATE in _report(topology, browser).text
    )
