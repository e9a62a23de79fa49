"""Uploads (the officials' background documents): wrong types, oversized files and path
tricks in names are refused or made safe; a downloaded file is an attachment of the
right type that a browser never sniffs into HTML."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from consult.extensions import db
from consult.models import ConsultationDocument
from tests.support.security_world import PDF, World


def _documents() -> int:
    db.session.rollback()
    return int(db.session.scalar(select(func.count()).select_from(ConsultationDocument)) or 0)


def _upload(world: World, content: bytes, name: str) -> object:
    client = world.client("official")
    return client.post(
        f"/officials/consultations/{world.consultation.slug}/documents",
        data={"doc-title_nl": "Bijlage", "doc-title_en": "Attachment",
              "doc-file": (io.BytesIO(content), name)},
        content_type="multipart/form-data", follow_redirects=True)


def test_files_that_are_not_pdfs_are_refused(world: World) -> None:
    before = _documents()
    for content, name in [
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "setup.pdf"),  # an .exe renamed
        (b"<!doctype html><script>alert(1)</script>", "page.pdf"),
        (b"<svg onload=alert(1)>", "image.pdf"),
        (b"", "empty.pdf"),
        (b" %PDF-1.4 but not at the start", "late.pdf"),
    ]:
        response = _upload(world, content, name)
        # The page again with the form and its message (not a redirect): what was typed stays.
        assert response.status_code == 400, name  # type: ignore[attr-defined]
        assert "The file is not a PDF" in response.get_data(as_text=True) or \
            "Upload a PDF or enter a link" in response.get_data(as_text=True), name  # type: ignore[attr-defined]
    assert _documents() == before


def test_an_oversized_upload_gets_the_413_page(world: World) -> None:
    before = _documents()
    world.app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    big = PDF + b"0" * (1024 * 1024 + 10)
    response = world.client("official").post(
        f"/officials/consultations/{world.consultation.slug}/documents",
        data={"doc-title_nl": "Groot", "doc-file": (io.BytesIO(big), "big.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 413
    assert "<h1" in response.get_data(as_text=True)
    assert _documents() == before


def test_file_names_are_made_safe(world: World) -> None:
    """Stored under a name of safe characters only (or refused), never a 500."""
    for name in ["../../etc/passwd.pdf", "..\\..\\boot.ini", "a\"; filename=x.html; b=\".pdf",
                 "x" * 5000 + ".pdf", "name\r\nSet-Cookie: a=b.pdf", "ünï code.html", ".."]:
        before = _documents()
        response = _upload(world, PDF, name)
        assert response.status_code < 500, name  # type: ignore[attr-defined]
        if _documents() == before:  # refused (a name the multipart parser cannot read)
            assert "\n" in name, name
            continue
        document = db.session.scalars(select(ConsultationDocument).order_by(
            ConsultationDocument.id.desc())).first()
        assert document is not None and document.filename is not None
        assert re.fullmatch(r"[A-Za-z0-9._-]{1,160}", document.filename), document.filename
        assert document.filename.endswith(".pdf") and "/" not in document.filename
        download = world.client(None).get(
            f"/consultations/{world.consultation.slug}/documents/{document.id}")
        disposition = download.headers["Content-Disposition"]
        assert disposition == f'attachment; filename="{document.filename}"', disposition
        assert "\r" not in disposition and "\n" not in disposition


def test_downloads_carry_safe_headers(world: World) -> None:
    response = world.client(None).get(
        f"/consultations/{world.consultation.slug}/documents/{world.document.id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    for path in (f"/organise/events/{world.tasting.id}/registrations.csv",):
        staff = world.client("organiser_a").get(path)
        assert staff.headers["Content-Disposition"].startswith("attachment")
        assert staff.headers["X-Content-Type-Options"] == "nosniff"
    slug = world.consultation.slug
    for fmt in ("csv", "json", "xlsx"):
        export = world.client("official").get(f"/officials/consultations/{slug}/export.{fmt}")
        assert export.headers["Content-Disposition"].startswith("attachment"), fmt
        assert "html" not in (export.mimetype or ""), fmt
