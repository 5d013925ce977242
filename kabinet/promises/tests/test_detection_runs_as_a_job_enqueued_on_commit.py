"""Detection is a background job the writing service enqueues on commit, once per text version."""

from __future__ import annotations

from unittest import mock

from kabinet.promises import services
from kabinet.promises.models import PromiseProposal, TextDetection
from kabinet.promises.tasks import detect_promises
from kabinet.timeline.models import Kind
from kabinet.timeline.services import EventDraft, publish, record_event


def test_publishing_enqueues_detection_only_once_the_text_is_committed(
    wednesday, project, sergey, as_viewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish(
            viewer=as_viewer(sergey),
            project=project,
            draft=EventDraft(kind=Kind.MESSAGE, title="План", body="Пришлю план в пятницу."),
        )
        # Nothing inline, inside the request's transaction.
        assert not PromiseProposal.objects.exists()

    with mock.patch("kabinet.promises.tasks.detect_promises", wraps=detect_promises) as job:
        for callback in callbacks:
            callback()

    job.enqueue.assert_called_once()
    assert PromiseProposal.objects.get().quote.startswith("Пришлю план в пятницу")


def test_a_chronology_row_written_without_the_service_is_not_read_by_a_signal(
    wednesday, project, sergey, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record_event(
            project=project,
            kind=Kind.MESSAGE,
            title="План",
            body="Пришлю план в пятницу.",
            author=sergey,
        )

    assert not PromiseProposal.objects.exists()


def test_the_job_run_twice_on_one_version_proposes_once(wednesday, project, sergey):
    event = record_event(
        project=project,
        kind=Kind.MESSAGE,
        title="План",
        body="Пришлю план в пятницу.",
        author=sergey,
    )
    version = services.text_version(event=event)

    first = detect_promises.call(event.pk, version)
    second = detect_promises.call(event.pk, version)

    assert (first, second) == (1, 0)
    assert PromiseProposal.objects.count() == 1
    assert TextDetection.objects.filter(event=event).count() == 1


def test_a_job_for_an_outdated_version_of_the_text_does_nothing(wednesday, project, sergey):
    event = record_event(
        project=project,
        kind=Kind.MESSAGE,
        title="План",
        body="Пришлю план в пятницу.",
        author=sergey,
    )

    assert detect_promises.call(event.pk, "not-the-current-version") == 0
    assert not PromiseProposal.objects.exists()


def test_a_queue_that_is_down_does_not_fail_the_publication(
    wednesday, project, sergey, as_viewer, django_capture_on_commit_callbacks
):
    down = mock.Mock(**{"enqueue.side_effect": ConnectionError("queue down")})
    with mock.patch("kabinet.promises.tasks.detect_promises", down):
        with django_capture_on_commit_callbacks(execute=True):
            event = publish(
                viewer=as_viewer(sergey),
                project=project,
                draft=EventDraft(kind=Kind.MESSAGE, title="План", body="Пришлю план в пятницу."),
            )

    assert event.pk is not None
    assert not PromiseProposal.objects.exists()
