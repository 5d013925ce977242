"""kabinet/core/signals.py documents every cross-app signal receiver; the list stays true."""

from __future__ import annotations

import re

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from kabinet.core import signals


def _connected_uids() -> set[str]:
    ours = {config.label for config in apps.get_app_configs() if config.name.startswith("kabinet.")}
    uids = set()
    for signal in (
        signals.task_completed,
        signals.agency_terms_changed,
        post_save,
        post_delete,
        m2m_changed,
    ):
        for (key, _sender), _receiver, *_rest in signal.receivers:
            if isinstance(key, str) and key.split(".")[0] in ours:
                uids.add(key)
    return uids


def test_every_connected_receiver_is_in_the_documented_list_and_nothing_else():
    documented = set(re.findall(r"^    - ([a-z_]+\.[a-z_]+):", signals.__doc__, flags=re.MULTILINE))

    assert "planning.promise_saved" in documented
    assert documented == _connected_uids()
