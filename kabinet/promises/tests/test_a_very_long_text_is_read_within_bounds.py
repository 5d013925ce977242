"""A pasted wall of promises is read in the background and yields a bounded number of proposals."""

from __future__ import annotations

from kabinet.promises.models import PromiseProposal
from kabinet.promises.services import MAX_PROPOSALS_PER_TEXT


def test_a_text_with_hundreds_of_promises_proposes_at_most_the_limit(
    wednesday, write, project, sergey
):
    body = " ".join(f"Пришлю отчёт по разделу R{n} в пятницу." for n in range(300))

    event = write(project, sergey, body)

    assert event.pk is not None  # the text itself is saved whole
    assert PromiseProposal.objects.count() == MAX_PROPOSALS_PER_TEXT
