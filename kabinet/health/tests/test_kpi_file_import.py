from __future__ import annotations

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from kabinet.health.models import Import, Point

GOOD = "Дата;Визиты из поиска\n01.11.2026;1 200\n02.11.2026;1 310\n03.11.2026;1 280,0\n"
BAD = "Дата;Визиты из поиска\n01.11.2026;1200\n31.11.2026;1310\n03.11.2026;1280\n"


def _upload(client, project, name: str, content: bytes):
    return client.post(
        f"/projects/{project.pk}/kpis/upload/", {"file": SimpleUploadedFile(name, content)}
    )


def _mapping(**extra) -> dict:
    return {
        "date_column": "0",
        "date_format": "dmy_dot",
        "col_1": "organic_sessions",
        "scale_1": "1",
        **extra,
    }


def test_the_upload_is_stored_before_the_mapping_and_shows_a_preview(
    project, sessions, sergey, login
):
    client = login(sergey)

    response = _upload(client, project, "visits.csv", GOOD.encode())

    staged = Import.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/kpi-imports/{staged.pk}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "1 310" in page.content.decode()  # the preview
    assert staged.state == Import.State.STAGED and not Point.objects.exists()


def test_a_file_with_one_bad_row_is_refused_with_its_row_number_and_imports_nothing(
    project, sessions, sergey, login
):
    client = login(sergey)
    staged_url = _upload(client, project, "visits.csv", BAD.encode())["Location"]

    response = client.post(staged_url, _mapping())

    assert response.status_code == 400
    refused = response.context["refused"]
    assert [(e.row, e.reason) for e in refused.errors] == [
        (3, "«31.11.2026» — не дата в формате 30.11.2026 (день.месяц.год)")
    ]
    assert 'data-testid="bad-row"><td>3</td>' in response.content.decode()
    assert not Point.objects.exists()


def test_a_refused_file_is_kept_with_the_mapping_that_was_tried(project, sessions, sergey, login):
    client = login(sergey)
    staged_url = _upload(client, project, "visits.csv", BAD.encode())["Location"]
    client.post(staged_url, _mapping())

    again = client.get(staged_url)

    staged = Import.objects.get()
    assert staged.state == Import.State.STAGED and staged.file.read().decode() == BAD
    assert again.context["form"]["col_1"].value() == "organic_sessions"
    assert again.context["form"]["date_format"].value() == "dmy_dot"


def test_the_good_file_imports_every_row_and_the_chart_shows_the_points(
    project, sessions, sergey, marina, login
):
    client = login(sergey)
    staged_url = _upload(client, project, "visits.csv", GOOD.encode())["Location"]

    response = client.post(staged_url, _mapping())

    assert response.status_code == 302
    values = dict(Point.objects.filter(metric=sessions).values_list("date", "value"))
    assert values == {date(2026, 11, 1): 1200, date(2026, 11, 2): 1310, date(2026, 11, 3): 1280}
    assert set(Point.objects.values_list("source", flat=True)) == {"import"}
    assert Import.objects.get().state == Import.State.IMPORTED


def test_a_number_that_is_not_a_number_names_its_row_and_column(project, sessions, sergey, login):
    client = login(sergey)
    staged_url = _upload(
        client, project, "v.csv", "date,sessions\n2026-11-01,12\n2026-11-02,много\n".encode()
    )["Location"]

    response = client.post(staged_url, _mapping(date_format="iso"))

    assert [(e.row, e.reason) for e in response.context["refused"].errors] == [
        (3, "«много» в столбце «sessions» — не число")
    ]
    assert not Point.objects.exists()


def test_a_date_twice_in_the_file_is_refused_with_both_rows(project, sessions, sergey, login):
    client = login(sergey)
    staged_url = _upload(client, project, "v.csv", b"date,s\n2026-11-01,1\n2026-11-01,2\n")[
        "Location"
    ]

    response = client.post(staged_url, _mapping(date_format="iso"))

    assert [(e.row, e.reason) for e in response.context["refused"].errors] == [
        (3, "дата 2026-11-01 уже есть в строке 2")
    ]


def test_values_in_thousands_are_scaled_to_the_kpi_unit(project, sessions, sergey, login):
    client = login(sergey)
    staged_url = _upload(client, project, "v.csv", b"date;s\n2026-11-01;1,5\n")["Location"]

    client.post(staged_url, _mapping(date_format="iso", scale_1="1000"))

    assert Point.objects.get(metric=sessions).value == 1500


def test_an_xlsx_spreadsheet_imports_with_its_own_dates(project, sessions, sergey, login):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Дата", "Визиты из поиска"])
    sheet.append([date(2026, 11, 1), 1500])
    sheet.append([date(2026, 11, 2), 1600.5])
    buffer = io.BytesIO()
    book.save(buffer)
    client = login(sergey)
    staged_url = _upload(client, project, "visits.xlsx", buffer.getvalue())["Location"]

    response = client.post(staged_url, _mapping())

    assert response.status_code == 302
    assert Point.objects.filter(metric=sessions).count() == 2


def test_a_file_of_another_type_is_refused_with_its_name(project, sessions, sergey, login):
    response = _upload(login(sergey), project, "visits.pdf", b"%PDF-1.4")

    assert response.status_code == 400
    assert "«visits.pdf» — не CSV и не XLSX." in response.content.decode()
    assert not Import.objects.exists()


def test_a_client_cannot_upload_or_open_an_import(project, sessions, sergey, marina, login):
    staged_url = _upload(login(sergey), project, "visits.csv", GOOD.encode())["Location"]

    assert _upload(login(marina), project, "visits.csv", GOOD.encode()).status_code == 404
    assert login(marina).get(staged_url).status_code == 404
    assert Import.objects.count() == 1
