"""Reading downloaded reports back, as a person opening them would."""

from __future__ import annotations

import csv
import io
import re
import subprocess

import pikepdf
from openpyxl import load_workbook


def csv_cells(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_cells(content: bytes) -> dict[str, list[list[object]]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return {sheet.title: [list(r) for r in sheet.iter_rows(values_only=True)] for sheet in book}


def pdf_text(content: bytes) -> str:
    """The PDF's text as poppler's pdftotext reads it, laid out as on the page."""
    assert content.startswith(b"%PDF")
    done = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


def pdf_strings(content: bytes) -> list[str]:
    """The PDF's text in cells: runs split where the layout leaves a gap of two or more
    spaces (between table columns), so a table cell's figure stands on its own."""
    return [
        cell.strip()
        for line in pdf_text(content).splitlines()
        for cell in re.split(r"\s{2,}", line)
        if cell.strip()
    ]


def pdf_is_tagged(content: bytes) -> bool:
    """A tagged PDF/UA-1 document: marked content, a structure tree with elements (what
    assistive technology reads), a language, and the PDF/UA identifier in its metadata."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        root = pdf.Root
        marked = bool(root.get("/MarkInfo", {}).get("/Marked", False))
        tree = root.get("/StructTreeRoot")
        has_elements = tree is not None and "/K" in tree
        with pdf.open_metadata() as meta:
            ua_part = meta.get("pdfuaid:part")
        return marked and has_elements and "/Lang" in root and ua_part == "1"
