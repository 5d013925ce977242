"""`kabinet promises detect`: one message per stdin line in, a JSON array out; bad input fails."""

from __future__ import annotations

import io
import json

import pytest

from kabinet.lib.business_calendar import DEFAULT_TIME_ZONE
from kabinet.lib.promise_detector import (
    DetectInputError,
    add_detect_arguments,
    detect_lines,
    run_detect,
)

NOW = "2026-11-26T10:00:00+03:00"


def run(stdin: str, **options: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_detect({"json": True, **options}, io.StringIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


def test_end_to_end_updated_plan_tomorrow_before_lunch_is_due_tomorrow_at_13() -> None:
    code, out, _ = run("Пришлю обновлённый план завтра до обеда\n", now=NOW, tz=DEFAULT_TIME_ZONE)
    assert code == 0
    assert json.loads(out) == [
        {
            "text": "Пришлю обновлённый план завтра до обеда",
            "promises": [
                {
                    "quote": "Пришлю обновлённый план завтра до обеда",
                    "due": "2026-11-27T13:00:00+03:00",
                }
            ],
        }
    ]


def test_one_result_per_input_line_including_lines_without_promises() -> None:
    code, out, _ = run("We sent it yesterday.\nI'll send it by Friday.\n\n", now=NOW)
    result = json.loads(out)
    assert code == 0 and len(result) == 3
    assert result[0]["promises"] == [] and result[2] == {"text": "", "promises": []}
    assert result[1]["promises"][0]["due"] == "2026-11-27T18:00:00+03:00"


def test_the_zone_changes_the_due_instant() -> None:
    [item] = detect_lines(["I'll send it by Friday."], now="2026-11-26T10:00:00+00:00", tz="UTC")
    assert item["promises"][0]["due"] == "2026-11-27T18:00:00+00:00"  # type: ignore[index]


def test_working_hours_and_country_can_be_changed() -> None:
    [item] = detect_lines(
        ["Пришлю отчёт до конца дня."], now=NOW, start="10:00", end="19:00", country=""
    )
    assert item["promises"][0]["due"] == "2026-11-26T19:00:00+03:00"  # type: ignore[index]


def test_now_defaults_to_the_current_time() -> None:
    [item] = detect_lines(["I'll send it within 3 business days."])
    assert len(item["promises"]) == 1  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"now": "2026-11-26T10:00:00"}, "UTC offset"),
        ({"now": "tomorrow-ish"}, "ISO-8601"),
        ({"now": NOW, "tz": "Mars/Olympus"}, "unknown time zone"),
        ({"now": NOW, "start": "9am"}, "--start"),
        ({"now": NOW, "start": "18:00", "end": "09:00"}, "before"),
        ({"now": NOW, "country": "XX"}, "country"),
    ],
)
def test_bad_input_gives_a_clear_error_and_a_nonzero_exit(
    options: dict[str, object], message: str
) -> None:
    code, out, err = run("I'll send it tomorrow.\n", **options)
    assert code != 0 and out == ""
    assert message in err and err.startswith("error: ")
    with pytest.raises(DetectInputError):
        detect_lines(["x"], **options)  # type: ignore[arg-type]


def test_the_options_parse_like_the_command_line() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    add_detect_arguments(parser)
    args = parser.parse_args(["--now", NOW, "--tz", DEFAULT_TIME_ZONE, "--json"])
    code_out = io.StringIO()
    code = run_detect(vars(args), io.StringIO("Завтра подготовим план.\n"), code_out, io.StringIO())
    assert code == 0 and json.loads(code_out.getvalue())[0]["promises"]


def test_text_output_without_json_lists_due_and_quote() -> None:
    out = io.StringIO()
    run_detect({"now": NOW}, io.StringIO("Завтра подготовим план.\n"), out, io.StringIO())
    assert "2026-11-27T18:00:00+03:00" in out.getvalue()
