from __future__ import annotations

from kabinet.jobs.testing import child_env, kabinet, query, start, use_migrated

SETUP = """
from datetime import date
from kabinet.core.testing import Role, make_agency, make_company, make_project, make_user
agency = make_agency("sim", "Sim")
am = make_user(agency, "am@sim.test", Role.ACCOUNT_MANAGER)
seo = make_user(agency, "seo@sim.test", Role.SPECIALIST)
project = make_project(make_company(agency, "Client"), "SEO", manager=am, specialists=(seo,))
from kabinet.core.scoping import viewer_for
from kabinet.work.services import save_recurrence
save_recurrence(viewer=viewer_for(am), project=project, title="Monthly report", mode="business_day", business_day=3, rrule="",
                starts_on=date(2027, 1, 1), lead_days=7)
save_recurrence(viewer=viewer_for(am), project=project, title="Positions", mode="rrule", rrule="FREQ=WEEKLY;BYDAY=MO", business_day=None,
                starts_on=date(2027, 1, 1), lead_days=2)
"""


def test_two_schedulers_over_a_simulated_month_create_each_occurrence_exactly_once(
    tmp_path, migrated_sqlite
):
    # Jobs run inline in the scheduler that claims the slot, so both processes race for real;
    # every tick (three simulated hours) both claim the same hourly slot.
    use_migrated(migrated_sqlite, tmp_path)
    env = child_env(tmp_path, TASKS_BACKEND="immediate")
    setup = kabinet(["shell", "-c", SETUP], env)
    assert setup.returncode == 0, setup.stderr

    args = [
        "scheduler",
        "--from",
        "2027-02-25T00:00+03:00",
        "--until",
        "2027-03-31T00:00+03:00",
        "--step",
        "180",
        "--only",
        "work.recurring",
    ]
    procs = [start(args, env, tmp_path / f"scheduler{n}.log") for n in (1, 2)]
    for n, proc in enumerate(procs, start=1):
        proc.wait(timeout=600)
        assert proc.returncode == 0, (tmp_path / f"scheduler{n}.log").read_text()[-3000:]

    rows = query(tmp_path, "select title, dedupe_key, due_at from work_task order by due_at")
    keys = [key for _, key, _ in rows]
    assert len(keys) == len(set(keys))
    reports = sorted(key.rsplit(":", 1)[1] for title, key, _ in rows if title == "Monthly report")
    assert reports == ["2027-03-03", "2027-04-05"]  # 3rd business day of March and of April
    mondays = sorted(key.rsplit(":", 1)[1] for title, key, _ in rows if title == "Positions")
    assert mondays == ["2027-03-01", "2027-03-08", "2027-03-15", "2027-03-22", "2027-03-29"]
    claimed = query(
        tmp_path,
        "select name, slot, count(*) from jobs_periodicrun group by name, slot having count(*) > 1",
    )
    assert claimed == []
