"""Load an Open Referral UK 3.0 feed: JSON files, or URLs to a ``/services``,
``/taxonomies`` or ``/taxonomy_terms`` page (every page is followed) or to one record.
Give taxonomies before the services tagged with their terms, and a file's parent
terms before (or in the same file as) their children."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from directory.oruk_import import oruk_import

TIMEOUT_SECONDS = 30


def _fetch(url: str) -> Any:
    if urllib.parse.urlparse(url).scheme not in ("http", "https"):
        raise CommandError("Only http and https URLs can be imported.")
    with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        return json.load(response)


class Command(BaseCommand):
    help = (
        "Import an Open Referral UK / HSDS 3.0 feed (services, organisations, taxonomies, "
        "taxonomy terms) from JSON files or URLs, in the order given."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("sources", nargs="+", help="Paths to JSON files, or http(s) URLs.")

    def handle(self, *args: Any, sources: list[str], **options: Any) -> None:
        for source in sources:
            self._import(source)

    def _import(self, source: str) -> None:
        if source.startswith(("http://", "https://")):
            documents = self._pages(source)
        else:
            path = Path(source)
            if not path.exists():
                raise CommandError(f"No such file: {source}")
            documents = [json.loads(path.read_text())]
        for document in documents:
            try:
                summary = oruk_import(document=document)
            except (KeyError, ValueError) as error:
                raise CommandError(f"Not an ORUK feed we can read: {error}") from error
            self.stdout.write(f"Imported {summary}.")

    def _pages(self, url: str) -> list[Any]:
        documents = [_fetch(url)]
        # A paged list: follow it to the last page.
        while "contents" in documents[-1] and not documents[-1].get("last_page", True):
            parts = urllib.parse.urlparse(url)
            query = dict(urllib.parse.parse_qsl(parts.query))
            query["page"] = str(documents[-1]["page_number"] + 1)
            documents.append(_fetch(parts._replace(query=urllib.parse.urlencode(query)).geturl()))
        return documents
