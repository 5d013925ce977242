"""A connection's token is stored encrypted (Fernet) and never shown again: the pages say at
most "stored, ends in …"."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from kabinet.core.models import AuditEntry
from kabinet.health import connectors, crypto
from kabinet.health.models import Connection

TOKEN = "y0_AgAAAAB-super-secret-token-7f3a"


def test_the_database_holds_no_plain_token(connect):
    connection = connect("yandex_metrica", token=TOKEN)
    row = Connection.objects.filter(pk=connection.pk).values().get()
    assert TOKEN not in str(row)
    assert crypto.decrypt(row["token_encrypted"]) == TOKEN
    assert TOKEN not in str(list(AuditEntry.objects.values("data")))


def test_the_pages_show_only_the_last_characters(client, head, connect, project):
    connection = connect("yandex_metrica", token=TOKEN)
    client.force_login(head)
    for url in (
        f"/projects/{project.pk}/kpis/sources/",
        f"/projects/{project.pk}/kpis/sources/{connection.pk}/",
    ):
        page = client.get(url).content.decode()
        assert TOKEN not in page
        assert "7f3a" in page


def test_a_dedicated_key_encrypts_and_an_old_key_still_decrypts(settings, connect):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.KABINET_ENCRYPTION_KEY = old
    connection = connect("ga4", token=TOKEN)
    settings.KABINET_ENCRYPTION_KEY = f"{new},{old}"  # rotated: new first, old kept to read
    assert connectors.params_of(connection).token == TOKEN
    assert Fernet(new.encode()).decrypt(crypto.encrypt("x").encode()) == b"x"


def test_a_token_unreadable_after_a_key_change_needs_a_new_token(settings, connect):
    connection = connect("ga4", token=TOKEN)
    settings.KABINET_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(connectors.TokenInvalid):
        connectors.params_of(connection)
