from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_demo_prints_every_login_and_the_shared_password():
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    for email in [
        "marina@client.example",
        "oleg@client2.example",
        "sergey@agency.example",
        "viktoria@agency.example",
        "head@agency.example",
        "head@vektor.example",
    ]:
        assert email in text
    assert "kabinet-demo" in text and "http://127.0.0.1:8000/" in text


def test_demo_refuses_a_scale_below_one_with_a_clear_message():
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("demo", "--no-serve", "--scale", "0", stderr=err)
    assert "--scale must be 1 or more" in err.getvalue()
