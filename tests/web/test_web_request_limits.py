"""Request bodies are refused by their size before Django reads (and spools to disk) a byte of them.

A 1 GB POST to the login page or to a supplier link that does not exist used to be written to /tmp
in full before anything looked at it. Now each address has a limit: the upload pages take the
configured upload size (and a margin, so that a file somewhat too large is explained on the page
where it was chosen), everything else DATA_UPLOAD_MAX_MEMORY_SIZE.
"""

from __future__ import annotations

import datetime as dt
import io
import wsgiref.util

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.urls import reverse
from django.utils import timezone
from staff_data import campaign_with_suppliers, staff

from oretrace.web.request_limits import upload_limit
from oretrace.web.risk.models import RiskAction

pytestmark = pytest.mark.django_db

GIGABYTE = 1024**3


class Body(io.RawIOBase):
    """A request body of ``size`` bytes that is never held in memory; counts what was read from it."""

    def __init__(self, size: int):
        self.size = size
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.size - self.read_bytes)
        buffer[:n] = b"x" * n
        self.read_bytes += n
        return n

    def readline(self, size=-1) -> bytes:
        return self.read(min(size if size >= 0 else 65536, 65536))


@pytest.fixture(autouse=True)
def _spool_dir(settings, tmp_path):
    """Django spools large uploads here: the tests check that nothing arrives."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "spool")
    (tmp_path / "spool").mkdir()
    return tmp_path / "spool"


def post_claiming(client, path: str, size: int, **extra):
    body = Body(size)
    response = client.generic(
        "POST",
        path,
        b"-",
        content_type="multipart/form-data; boundary=oretrace",
        **{"CONTENT_LENGTH": str(size), "wsgi.input": body, **extra},
    )
    return response, body


def test_a_gigabyte_login_post_is_refused_unread(client, _spool_dir, settings):
    response, body = post_claiming(client, reverse("login"), GIGABYTE)
    assert response.status_code == 413
    assert body.read_bytes == 0
    assert list(_spool_dir.iterdir()) == []
    page = response.content.decode()
    assert "This request is too large: 1024.0 MB were sent; this page accepts at most 1.0 MB." in page
    assert "Nothing was stored." in page


def test_a_gigabyte_upload_to_a_link_that_does_not_exist_is_refused_unread(client, _spool_dir, settings):
    response, body = post_claiming(client, "/p/not-a-real-token/upload/", GIGABYTE)
    assert response.status_code == 413
    assert body.read_bytes == 0
    assert list(_spool_dir.iterdir()) == []
    assert "This file is too large: 1024.0 MB were sent; files up to 30 MB are accepted." in (
        response.content.decode()
    )


def test_the_refusal_is_in_the_readers_language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response, _ = post_claiming(client, "/p/not-a-real-token/upload/", GIGABYTE)
    page = response.content.decode()
    assert response.status_code == 413
    assert "文件太大：已发送 1024.0 MB；仅接受不超过 30 MB 的文件。" in page
    assert '<html lang="zh-hans">' in page


def test_every_upload_page_has_the_upload_limit_and_others_the_small_one(settings):
    settings.MAX_UPLOAD_BYTES = 30 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024
    large = 2 * settings.MAX_UPLOAD_BYTES + 1024 * 1024
    for path in (
        "/p/abc/upload/",
        "/requests/7/upload/",
        "/suppliers/import/",
        "/campaigns/new/",
        "/campaigns/3/edit/",
        "/smelters/reference/",
        "/risk/actions/5/evidence/",
        "/risk/cahra/",
        "/campaigns/3/reports/declaration/products/",
    ):
        assert upload_limit(path) == large, path
    for path in ("/login/", "/p/abc/answer/", "/p/abc/decline/", "/requests/7/accept/", "/nowhere/"):
        assert upload_limit(path) == 1024 * 1024, path


def test_an_upload_within_the_limit_goes_through(client, settings):
    settings.MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    _, bob, _ = staff()
    client.force_login(bob)
    campaign, _ = campaign_with_suppliers(1)
    action = RiskAction.open_for(
        campaign,
        by=bob,
        subject_kind="supplier",
        subject_key="CMRT_2025.xlsx",
        subject_label="Supplier 0",
        flag_code="supplier-names-red-flag-smelter",
        what="Ask Supplier 0 for its smelters",
        owner=bob,
        due_date=timezone.localdate() + dt.timedelta(days=30),
    )
    upload = io.BytesIO(b"%PDF-1.4 " + b"0" * (1536 * 1024 - 9))  # 1.5 MB: more than the small limit
    upload.name = "letter.pdf"
    response = client.post(reverse("risk_action_evidence", args=[action.pk]), {"file": upload})
    assert response.status_code == 302
    assert action.evidence.get().size == 1536 * 1024


def test_a_form_post_within_the_small_limit_goes_through(client):
    staff()
    response = client.post(reverse("login"), {"username": "bob", "password": "a-long-test-password"})
    assert response.status_code == 302


def wsgi_call(environ: dict) -> tuple[str, bytes]:
    wsgiref.util.setup_testing_defaults(environ)
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"] = status

    body = b"".join(WSGIHandler()(environ, start_response))
    return started["status"], body


def test_a_chunked_body_without_a_length_is_refused_unread():
    body = Body(GIGABYTE)
    status, page = wsgi_call(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/p/not-a-real-token/upload/",
            "CONTENT_TYPE": "multipart/form-data; boundary=oretrace",
            "HTTP_TRANSFER_ENCODING": "chunked",
            "wsgi.input": body,
        }
    )
    assert status.startswith("411 ")
    assert body.read_bytes == 0
    assert b"Send the request again with its length (Content-Length)." in page


def test_a_body_without_a_length_is_never_read(settings):
    # No Content-Length and no Transfer-Encoding (an HTTP/1.0 client sending until it closes): the body
    # counts as empty, whatever follows on the wire.
    body = Body(GIGABYTE)
    status, _ = wsgi_call(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/login/",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "wsgi.input": body,
        }
    )
    assert status.startswith("403 ")  # no CSRF token: the (empty) form was read and refused
    assert body.read_bytes == 0


def test_a_length_that_is_no_number_is_refused():
    status, page = wsgi_call(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/login/",
            "CONTENT_LENGTH": "lots",
            "wsgi.input": Body(10),
        }
    )
    assert status.startswith("400 ")
    assert b"The request's length (Content-Length) is not a number of bytes." in page
