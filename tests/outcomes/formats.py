"""Reading downloaded reports back, as a person opening them would."""

from __future__ import annotations

import base64
import csv
import io
import re
import zlib

from openpyxl import load_workbook


def csv_cells(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_cells(content: bytes) -> dict[str, list[list[object]]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return {sheet.title: [list(r) for r in sheet.iter_rows(values_only=True)] for sheet in book}


def pdf_strings(content: bytes) -> list[str]:
    """The text strings drawn on the PDF's pages (reportlab compresses its streams)."""
    assert content.startswith(b"%PDF")
    texts = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", content, flags=re.DOTALL):
        data = stream.strip()
        if data.endswith(b"~>"):  # reportlab's ASCII85 then Flate encoding
            data = base64.a85decode(data[:-2])
        try:
            data = zlib.decompress(data)
        except zlib.error:
            pass
        for text in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", data):
            texts.append(re.sub(rb"\\(.)", rb"\1", text).decode("latin-1"))
    return texts
