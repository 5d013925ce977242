"""KPI values from a CSV or XLSX file, in two steps.

1. `stage` stores the uploaded file at once (an `Import` in state `staged`) — whatever happens
   next, nothing the user uploaded is lost.
2. `apply` reads it with the user's column mapping (which column holds the dates, their format,
   which KPI each other column is and in what units), checks every row and either writes all of
   them through `services.write_points` in one transaction or none: every bad row is reported
   with its row number in the file and the reason, and the staged file stays for another try.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kabinet.clients.models import Project
from kabinet.core.scoping import Viewer
from kabinet.core.services import audit
from kabinet.health import services
from kabinet.health.models import Import, Metric, Source

EXTENSIONS = ("csv", "xlsx")
MAX_ROWS = 5000
MAX_COLUMNS = 50
PREVIEW_ROWS = 8
MAX_REPORTED_ERRORS = 200

# key: (label, strptime format or None for ISO / a spreadsheet's own dates)
DATE_FORMATS: dict[str, tuple[str, str | None]] = {
    "iso": (gettext_lazy("2026-11-30 (year-month-day)"), "%Y-%m-%d"),
    "dmy_dot": (gettext_lazy("30.11.2026 (day.month.year)"), "%d.%m.%Y"),
    "dmy_slash": (gettext_lazy("30/11/2026 (day/month/year)"), "%d/%m/%Y"),
    "mdy_slash": (gettext_lazy("11/30/2026 (month/day/year)"), "%m/%d/%Y"),
}
# key: (label, multiplier to the KPI's unit)
SCALES: dict[str, tuple[str, Decimal]] = {
    "1": (gettext_lazy("as the KPI's unit"), Decimal(1)),
    "1000": (gettext_lazy("in thousands"), Decimal(1000)),
    "100": (gettext_lazy("as a share (0.05 → 5 %)"), Decimal(100)),
}


@dataclass(frozen=True)
class RowError:
    row: int  # the row's number in the file (the header is row 1)
    reason: str


class ImportRefused(Exception):
    def __init__(self, errors: list[RowError], total_bad: int):
        super().__init__(f"{total_bad} bad rows")
        self.errors = errors
        self.total_bad = total_bad


def stage(*, viewer: Viewer, project: Project, upload: UploadedFile) -> Import:
    services.require_project_staff(viewer=viewer, project=project)
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in EXTENSIONS:
        raise ValidationError(
            _("“%(name)s” is not a CSV or XLSX file.") % {"name": upload.name}, code="type"
        )
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s, the limit is %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
            code="size",
        )
    staged = Import.objects.create(
        agency=viewer.agency,
        project=project,
        file=upload,
        name=PurePath(upload.name).name[:255],
        size=upload.size or 0,
        uploaded_by=viewer.user,
    )
    audit(
        agency=viewer.agency,
        actor=viewer.user,
        verb="kpi_import_staged",
        obj=staged,
        name=staged.name,
    )
    return staged


def _cell(value: object) -> str | date:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(staged: Import) -> tuple[list[str], list[list[str | date]]]:
    """The header row and the data rows (cells as text, or dates where the spreadsheet has dates)."""
    extension = PurePath(staged.name).suffix.lower().lstrip(".")
    with staged.file.open("rb") as handle:
        raw = handle.read()
    if extension == "xlsx":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(raw), read_only=True, data_only=True).worksheets[0]
            rows = [
                [_cell(v) for v in row]
                for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)
            ]
        except Exception as exc:  # a damaged or disguised file: openpyxl raises many kinds
            raise ValidationError(
                _("The file could not be read as an XLSX spreadsheet."), code="unreadable"
            ) from exc
    else:
        for encoding in ("utf-8-sig", "cp1251"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover — cp1251 decodes any byte
            raise ValidationError(
                _("The file's text encoding is not UTF-8 or Windows-1251."), code="encoding"
            )
        sample = text[:4096]
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    rows = [r for r in rows if any(str(c).strip() for c in r)] if rows else []
    if not rows:
        raise ValidationError(_("The file is empty."), code="empty")
    header = [str(c) for c in rows[0]][:MAX_COLUMNS]
    data = [r[:MAX_COLUMNS] for r in rows[1:]]
    if len(data) > MAX_ROWS:
        raise ValidationError(
            _("The file has more than %(n)s rows; split it.") % {"n": MAX_ROWS}, code="too_many"
        )
    return header, data


def _parse_date(raw: str | date, fmt: str) -> date:
    if isinstance(raw, date):
        return raw
    pattern = DATE_FORMATS[fmt][1]
    return datetime.strptime(raw.strip(), pattern).date()


def _parse_number(raw: str | date) -> Decimal:
    if isinstance(raw, date):
        raise InvalidOperation
    text = raw.replace("\u00a0", "").replace(" ", "").replace("\u202f", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # a decimal comma, as Russian spreadsheets write it
    elif "," in text:
        text = text.replace(",", "")  # 1,234.5
    if text.endswith("%"):
        text = text[:-1]
    return Decimal(text)


def check(staged: Import, mapping: dict) -> tuple[list[services.PointIn], list[RowError], int]:
    """Every row against the mapping: the points to write, the bad rows, and how many were bad."""
    header, rows = read_table(staged)
    date_col = int(mapping["date_column"])
    fmt = mapping["date_format"]
    columns = {int(i): spec for i, spec in mapping["columns"].items()}
    points: list[services.PointIn] = []
    errors: list[RowError] = []
    bad = 0
    first_row_of: dict[date, int] = {}
    for offset, row in enumerate(rows):
        number = offset + 2
        reasons: list[str] = []
        raw_date = row[date_col] if date_col < len(row) else ""
        day = None
        if raw_date in ("", None):
            reasons.append(_("the date is empty"))
        else:
            try:
                day = _parse_date(raw_date, fmt)
            except ValueError:
                reasons.append(
                    _("“%(value)s” is not a date in the format %(format)s")
                    % {"value": raw_date, "format": DATE_FORMATS[fmt][0]}
                )
        if day is not None:
            if day in first_row_of:
                reasons.append(
                    _("the date %(date)s is already on row %(row)s")
                    % {"date": day.isoformat(), "row": first_row_of[day]}
                )
            else:
                first_row_of[day] = number
        row_points = []
        for index, spec in columns.items():
            raw = row[index] if index < len(row) else ""
            if raw in ("", None):
                continue  # no value for that day in this column
            column = header[index] if index < len(header) else str(index + 1)
            try:
                value = _parse_number(raw) * SCALES[spec.get("scale", "1")][1]
                value = services.clean_value(raw=value)
            except (InvalidOperation, ValueError, ValidationError):
                reasons.append(
                    _("“%(value)s” in column “%(column)s” is not a number")
                    % {"value": raw, "column": column}
                )
                continue
            if day is not None:
                row_points.append(services.PointIn(spec["metric"], day, value))
        if reasons:
            bad += 1
            if len(errors) < MAX_REPORTED_ERRORS:
                errors.append(RowError(number, "; ".join(reasons)))
        else:
            points.extend(row_points)
    return points, errors, bad


def apply(*, viewer: Viewer, staged: Import, mapping: dict) -> services.WriteResult:
    """All rows or none. On refusal the file stays staged with the reasons, for another mapping."""
    services.require_project_staff(viewer=viewer, project=staged.project)
    if staged.state == Import.State.IMPORTED:
        raise ValidationError(_("This file has already been imported."), code="done")
    known = set(Metric.objects.filter(project=staged.project).values_list("key", flat=True))
    missing = {spec["metric"] for spec in mapping["columns"].values()} - known
    if missing:
        raise ValidationError(
            _("Unknown KPI: %(keys)s. Add it to the project first.")
            % {"keys": ", ".join(sorted(missing))}
        )
    points, errors, bad = check(staged, mapping)
    staged.mapping = mapping
    if errors:
        staged.errors = [{"row": e.row, "reason": e.reason} for e in errors]
        staged.save(update_fields=["mapping", "errors"])
        raise ImportRefused(errors, bad)
    with transaction.atomic():
        result = services.record_points(
            viewer=viewer, project=staged.project, points=points, source=Source.IMPORT, batch=staged
        )
        staged.state = Import.State.IMPORTED
        staged.errors = []
        staged.rows_imported = result.total
        staged.imported_at = timezone.now()
        staged.save(update_fields=["mapping", "errors", "state", "rows_imported", "imported_at"])
        audit(
            agency=viewer.agency,
            actor=viewer.user,
            verb="kpi_import_applied",
            obj=staged,
            created=result.created,
            updated=result.updated,
        )
    return result
