"""The weekly digest: each week, for each active project, a short letter to the client in her
language — what we did, what is next, what it led to, what we promised and its state, what waits
for her. The manager edits and sends it; a client company that opted in gets it as drafted.

Per project, not per client company: the chronology, the project team (who may edit and send)
and the client's view are all per project, and a company's service lines often have different
managers. A company with two projects gets two short letters, each from the person who runs it.

- `selectors`: the week's items as the project's client sees them (the conditions of the scoping a
  client user gets, so nothing internal can be gathered), read for a batch of projects at once,
  and the drafts a person may open;
- `letter`: the items written as Markdown in the client's language;
- `services`: drafting (idempotent per project and ISO week), saving an edit (optimistic: an
  outdated copy is a conflict), sending (a client-visible chronology event of kind `digest`, which
  e-mails the client's people through the notifications), and the client company's opt-in;
- `views`, `urls`, `forms`: the manager's pages and the client's setting.

The periodic job is `kabinet.health.tasks.draft_weekly_digests` (kabinet/jobs/schedule.py).
"""
