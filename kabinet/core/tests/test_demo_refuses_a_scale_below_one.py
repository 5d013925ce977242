from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_demo_refuses_a_scale_below_one_with_a_clear_message():
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("demo", "--no-serve", "--scale", "0", stderr=err)
    assert "--scale must be 1 or more" in err.getvalue()
