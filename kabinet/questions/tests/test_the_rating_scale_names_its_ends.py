"""The client rates an answer on one line of 1..5 whose ends say which is good ("1 · did not
help", "5 · solved my problem"): a bare column of numbers did not."""

from __future__ import annotations

import re

import pytest

from kabinet.questions import services
from kabinet.questions.tests.helpers import ask, v


@pytest.mark.parametrize(
    "language,low,high",
    [
        ("ru", "1 · не помог", "5 · полностью решил вопрос"),
        ("en", "1 · did not help", "5 · solved my problem"),
    ],
)
def test_the_rate_form_names_both_ends_of_the_scale(
    marina, sergey, project, login, language, low, high
):
    thread = ask(marina, project)
    services.reply(viewer=v(sergey), thread=thread, body="Ответ.")
    services.resolve(viewer=v(marina), thread=thread)
    client = login(marina)
    client.post("/language/", {"language": language})

    html = client.get(f"/questions/{thread.pk}/").content.decode()

    scale = re.search(r'<div[^>]*class="scale"[^>]*>(.*?)</div>\s*(?:<small|</div>)', html, re.S)
    assert scale is not None
    labels = [
        " ".join(t.split()) for t in re.findall(r"</?input[^>]*>\s*([^<]+)</label>", scale.group(1))
    ]
    assert labels == [low, "2", "3", "4", high]
