"""API tokens: only a hash stored, shown once on the page or by ``manage api_token``; a revoked token,
or the token of a deactivated account, is refused with 401, and revoking is race-free."""

from __future__ import annotations

import io
import threading

import pytest
from api_data import client_with_token
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from staff_data import staff

from oretrace.web.accounts.tokens import ApiToken, token_hash
from oretrace.web.audit.models import AuditEntry


@pytest.fixture
def people(db):
    return dict(zip(("admin", "analyst", "viewer"), staff(), strict=True))


def test_the_page_shows_a_new_token_once_and_keeps_only_its_hash(client, people):
    client.force_login(people["viewer"])
    made = client.post(reverse("api_tokens"), {"name": "Power BI"})
    assert made.status_code == 200
    raw = made.context["new_token"]
    assert raw.startswith("ot_") and len(raw) > 40
    assert raw in made.content.decode()
    token = ApiToken.objects.get(user=people["viewer"])
    assert (token.name, token.token_hash, token.shown) == ("Power BI", token_hash(raw), raw[:10])
    assert raw not in str(list(ApiToken.objects.values()))
    again = client.get(reverse("api_tokens"))
    assert raw not in again.content.decode() and f"{raw[:10]}…" in again.content.decode()
    # The viewer's token reads and never writes.
    api = client_with_token(raw)
    assert api.get("/api/v1/suppliers/").status_code == 200
    assert api.post("/api/v1/suppliers/", {"key": "1", "name": "X"}, format="json").status_code == 403


def test_a_revoked_token_is_refused(client, people):
    token, raw = ApiToken.issue(people["analyst"], "SAP", by=people["analyst"])
    client.force_login(people["analyst"])
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 302
    refused = client_with_token(raw).get("/api/v1/suppliers/")
    assert refused.status_code == 401
    assert (
        refused.json()["detail"] == "This token is unknown, revoked, or its owner's account is deactivated."
    )
    assert refused["WWW-Authenticate"] == 'Bearer realm="api"'


def test_nobody_revokes_another_persons_token_from_the_page(client, people):
    token, raw = ApiToken.issue(people["analyst"], "SAP", by=people["analyst"])
    client.force_login(people["viewer"])
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    assert client_with_token(raw).get("/api/v1/suppliers/").status_code == 200


def test_anonymous_people_are_sent_to_log_in_from_the_tokens_page(client, people):
    assert client.get(reverse("api_tokens"))["Location"].startswith(reverse("login"))


def test_deactivating_a_user_revokes_their_tokens_for_good(people):
    bob = people["analyst"]
    token, raw = ApiToken.issue(bob, "SAP", by=bob)
    bob.is_active = False
    bob.save()
    assert client_with_token(raw).get("/api/v1/suppliers/").status_code == 401
    token.refresh_from_db()
    assert token.is_revoked
    bob.is_active = True
    bob.save()
    assert client_with_token(raw).get("/api/v1/suppliers/").status_code == 401


def test_deactivating_on_the_users_page_revokes_every_token_at_once(client, people):
    bob = people["analyst"]
    (sap, _), (bi, _) = ApiToken.issue(bob, "SAP", by=bob), ApiToken.issue(bob, "Power BI", by=bob)
    client.force_login(people["admin"])
    client.post(reverse("user_deactivate", args=[bob.pk]))
    assert all(token.is_revoked for token in ApiToken.objects.filter(pk__in=[sap.pk, bi.pk]))
    assert AuditEntry.objects.get(action="user.deactivated").detail.endswith("2 API tokens revoked")


def test_the_command_prints_a_working_token_once(people):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", "bob", "--name", "SAP nightly export", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert "shown this once" in err.getvalue()
    assert client_with_token(raw).get("/api/v1/suppliers/").status_code == 200
    listed = io.StringIO()
    call_command("api_token", "bob", "--list", stdout=listed)
    assert "SAP nightly export" in listed.getvalue() and raw not in listed.getvalue()
    call_command("api_token", "bob", "--revoke", "SAP nightly export", stdout=io.StringIO())
    assert client_with_token(raw).get("/api/v1/suppliers/").status_code == 401


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--name", "x"], "There is no user 'nobody'."),
        (["bob"], 'Say what the token is for: --name "SAP nightly export".'),
        (["bob", "--revoke", "nothing"], "bob has no active token named 'nothing'."),
    ],
)
def test_the_command_says_what_is_wrong(people, args, message):
    with pytest.raises(CommandError, match="^" + message.replace("(", r"\(").replace(".", r"\.") + "$"):
        call_command("api_token", *args, stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_revoking_a_token_at_once_from_two_places_revokes_it_once():
    _, bob, _ = staff()
    token, _raw = ApiToken.issue(bob, "SAP", by=bob)
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def revoke() -> None:
        try:
            mine = ApiToken.objects.get(pk=token.pk)
            start.wait()
            outcomes.append("revoked" if mine.revoke(by=bob) else "already")
        except BaseException as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=revoke) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already", "already", "already", "revoked"]
    assert AuditEntry.objects.filter(action="api_token.revoked").count() == 1
