"""What ``make bench`` measures: each endpoint, the user it is requested as, and its
targets from issue 7. An endpoint whose URL does not exist yet is reported as "not
built yet" with null figures, so a later run fills it in without changing the harness.
"""

from __future__ import annotations

import datetime
import json
import statistics
import tempfile
import time
from dataclasses import dataclass
from typing import Any

from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.db.models import Count
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from demo.synthetic.referrals import synthetic_email, synthetic_nhs_numbers
from directory.models import TaxonomyTerm
from directory.taxonomy import CATEGORY
from linkworkers.models import Case
from referrals.models import Referral, TriageRoute
from socialrx.core.api_tokens.services import api_token_issue
from socialrx.core.models import Membership, Role, User

BARE = "bare Django view"
NOT_BUILT = "not built yet"
# Throughput against the number of gunicorn workers is measured for these.
SCALING = (BARE, "referral detail", "triage queue")


@dataclass
class Endpoint:
    name: str
    path: str | None
    user: User | None = None
    kind: str = "load"  # "load": wrk at 1 and 16 clients; "single": a few timed requests
    body: dict[str, Any] | None = None
    token: str = ""
    target_p95_ms: float | None = None
    note: str = ""
    queries: int | None = None
    _cookie: str = ""

    @property
    def method(self) -> str:
        return "POST" if self.body is not None else "GET"

    def cookie(self) -> str:
        """A real signed-in session, stored like any other, for the endpoint's user."""
        if self.user is not None and not self._cookie:
            client = signed_in_client(self.user)
            self._cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        return self._cookie

    def http_headers(self) -> dict[str, str]:
        if self.user is None:
            return {}
        return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={self.cookie()}"}

    def wrk_headers(self) -> list[str]:
        # gunicorn's sync workers close every connection after one response (as they do
        # behind a load balancer); wrk is told so rather than finding out.
        headers = self.http_headers() | {"Connection": "close"}
        return [arg for k, v in headers.items() for arg in ("-H", f"{k}: {v}")]

    def one_request(self, n: int) -> tuple[str, bytes | None, dict[str, str]]:
        """The method, body and headers of the n-th request a single client sends."""
        if self.body is None:
            return "GET", None, self.http_headers()
        nhs = next(synthetic_nhs_numbers(start=(time.time_ns() // 1000 + n) % 900_000))
        body = json.dumps(self.body).replace("NHS_NUMBER", nhs).encode()
        return (
            "POST",
            body,
            {
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.token}",
                "Idempotency-Key": f"one-{time.time_ns()}-{n}",
            },
        )

    def wrk_env(self) -> dict[str, str]:
        if self.body is None:
            return {}
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(self.body, f)
        return {
            "BENCH_BODY_FILE": f.name,
            "BENCH_AUTHORIZATION": f"Bearer {self.token}",
            "BENCH_KEY_PREFIX": f"bench-{time.time_ns()}",
        }

    def test_client_request(self, client: Client) -> Any:
        assert self.path is not None
        if self.body is None:
            return client.get(self.path)
        nhs = next(synthetic_nhs_numbers(start=time.time_ns() % 900_000))
        body = json.loads(json.dumps(self.body).replace("NHS_NUMBER", nhs))
        return client.post(
            self.path,
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {self.token}", "Idempotency-Key": f"q-{nhs}"},
        )


def signed_in_client(user: User) -> Client:
    """A test client whose session is signed in with both factors, as allauth's
    second-factor step leaves it (``record_authentication``): a session with the password
    step only reaches no staff page (SecondFactorRequiredMiddleware)."""
    client = Client(raise_request_exception=True)
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    record_authentication(request, user, "mfa", type="totp")
    request.session.save()
    return client


def _path(name: str, *args: object, query: str = "") -> str | None:
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return None


def _period(days: int) -> str:
    """The report filter for the ``days`` up to today (when the synthetic data ends)."""
    end = timezone.localdate()
    start = end - datetime.timedelta(days=days)
    return f"start={start.isoformat()}&end={end.isoformat()}&period=quarter"


def _user(local: str) -> User:
    return User.objects.get(email=synthetic_email(local))


def build(only: list[str] | None = None) -> list[Endpoint]:
    lead = _user("triage-lead-1")
    lead_service = Membership.objects.get(user=lead, role=Role.TRIAGE_LEAD).organisation_id
    worker, case = _busy_link_worker_and_case()
    referrer = _user("referrer-1")
    referral = (
        Referral.objects.filter(referrer=referrer, status="closed").order_by("-created_at").first()
        or Referral.objects.filter(referrer=referrer).order_by("-created_at").first()
    )
    assert referral is not None, "referrer-1 has made no referral"
    befriending = TaxonomyTerm.objects.get(taxonomy__code=CATEGORY, term="befriending")
    commissioner = _user("commissioner-1")
    endpoints = [
        Endpoint(BARE, _path("bench_bare"), note="the yardstick"),
        Endpoint("triage queue", _path("referrals:triage"), lead, target_p95_ms=25),
        Endpoint("caseload", _path("linkworkers:caseload"), worker, target_p95_ms=25),
        Endpoint("case detail", _path("linkworkers:case", case), worker, target_p95_ms=15),
        Endpoint("referral detail", _path("referrals:detail", referral.pk), referrer,
                 target_p95_ms=15),
        Endpoint("directory search: selective term", _path("directory:search", query="q=ukulele"),
                 target_p95_ms=50),
        Endpoint("directory search: broad term", _path("directory:search", query="q=support"),
                 target_p95_ms=50),
        Endpoint("directory search: postcode + category by distance",
                 _path("directory:search", query=f"postcode=SX1&category={befriending.pk}"),
                 target_p95_ms=50),
        Endpoint("/oruk/services", _path("directory:oruk_services"),
                 note="an API list: no latency target in the issue"),
        _post_endpoint(lead_service),
        Endpoint("commissioner activity report: quarter",
                 _path("outcomes:report", "activity", query=_period(91)), commissioner,
                 kind="single"),
        Endpoint("commissioner activity report: year",
                 _path("outcomes:report", "activity", query=_period(364)), commissioner,
                 kind="single", target_p95_ms=1000),
        Endpoint("activity report CSV download: year",
                 _path("outcomes:report_download", "activity", "csv", query=_period(364)),
                 commissioner, kind="single",
                 note="the nearest thing to an export that exists: an aggregate, not rows"),
        Endpoint("full county CSV export", _path("outcomes:extract_csv"), _user("admin-1"),
                 kind="single", target_p95_ms=3000,
                 note="every referral, streamed; target: peak worker memory <= 150 MB"),
    ]  # fmt: skip
    for e in endpoints:
        if e.path is None:
            e.note = NOT_BUILT
    return [e for e in endpoints if not only or e.name in only or e.name == BARE]


def _busy_link_worker_and_case() -> tuple[User, int]:
    """The link worker with the most open cases, and their median active case by
    number of contacts (a typical case page, not the lightest or heaviest)."""
    busiest = (
        Case.objects.open().values("link_worker").annotate(n=Count("pk")).order_by("-n").first()
    )
    assert busiest is not None, "no open cases: generate data first"
    worker = User.objects.get(pk=busiest["link_worker"])
    cases = list(
        Case.objects.filter(link_worker=worker, status="active")
        .annotate(n=Count("contacts"))
        .order_by("n", "pk")
        .values_list("pk", flat=True)
    )
    return worker, cases[len(cases) // 2]


def _post_endpoint(lead_service: int) -> Endpoint:
    """A GP at a practice another service triages, so new referrals do not lengthen the
    measured triage queue."""
    route = (
        TriageRoute.objects.exclude(service_id=lead_service)
        .filter(practice__isnull=False)
        .select_related("practice")
        .first()
    ) or TriageRoute.objects.filter(practice__isnull=False).select_related("practice").first()
    assert route is not None
    assert route.practice is not None
    membership = Membership.objects.filter(organisation=route.practice, role=Role.REFERRER).first()
    assert membership is not None
    # A fresh token each run: only digests are stored, so an old one cannot be read back.
    issued = api_token_issue(user=membership.user, name="bench", actor=None, reason="bench")
    body = {
        "person": {
            "given_name": "Bench",
            "family_name": "Test",
            "date_of_birth": "1950-05-17",
            "nhs_number": "NHS_NUMBER",
            "postcode": "SX1 1AB",
            "registered_practice_ods_code": route.practice.ods_code,
        },
        "source": "gp",
        "reasons": ["loneliness", "low_mood"],
        "what_matters": "Getting out of the house",
        "consent": {
            "to_referral": True,
            "to_share": True,
            "recorded_on": "2026-01-05",
            "recorded_by": membership.user.full_name,
        },
    }
    return Endpoint(
        "POST /api/v1/referrals/",
        _path("referrals:api_list"),
        body=body,
        token=issued.secret,
        target_p95_ms=50,
        note="each request stores a new referral (fresh Idempotency-Key and NHS number)",
    )


def summarise(e: Endpoint, runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over the repeats, in the shape of bench/results/*.json."""
    result: dict[str, Any] = {
        "endpoint": e.name,
        "method": e.method,
        "path": e.path,
        "status": NOT_BUILT if e.path is None else "measured",
        "queries": e.queries,
        "rps": None,
        "p50_ms": None,
        "p95_ms": None,
        "p99_ms": None,
        "at_16_clients": None,
        "ratio_to_bare": None,
        "target_p95_ms": e.target_p95_ms,
        "note": e.note,
    }
    if not runs:
        return result | {"met": None}

    def median(values: list[float]) -> float:
        return round(statistics.median(values), 3)

    if e.kind == "single":
        result |= {
            "p50_ms": median([r["p50_ms"] for r in runs]),
            "p95_ms": median([r["p95_ms"] for r in runs]),
            "worker_peak_rss_mb": max((r["worker_peak_rss_mb"] or 0) for r in runs) or None,
        }
    else:
        result |= {
            "rps": round(statistics.median(r["rps"] for r in runs), 1),
            **{k: median([r["one"][k] for r in runs]) for k in ("p50_ms", "p95_ms", "p99_ms")},
            "at_16_clients": {
                k: median([r["many"][k] for r in runs]) for k in ("p50_ms", "p95_ms", "p99_ms")
            },
            "repeats": [
                {"rps": round(r["rps"], 1), "ratio": round(r.get("ratio", 1.0), 3)} for r in runs
            ],
        }
        if e.name != BARE:
            result["ratio_to_bare"] = median([r["ratio"] for r in runs])
    result["met"] = _met(result)
    return result


def _met(result: dict[str, Any]) -> bool | None:
    """The p95 target at one client. The ratio to the bare view is reported, never
    judged: issue 17 retired the ratio targets, which no signed-in Django page can meet
    and which move with the machine's load (ADR 0027)."""
    if result["target_p95_ms"] is None or result["p95_ms"] is None:
        return None
    return bool(result["p95_ms"] <= result["target_p95_ms"])


def cleanup() -> None:
    """Drop the Celery messages the POSTs queued: no worker runs during the bench."""
    url = settings.CELERY_BROKER_URL
    # Only under the bench's own settings (and so its own Redis database number).
    if url.startswith("redis://") and settings.ROOT_URLCONF == "bench.urls":
        import redis

        redis.Redis.from_url(url).delete("celery")
