"""What the work led to: KPIs as time series, the client's expectations and the agency's
forecasts, the items of a monthly plan linked to the tasks that carry them, and when a person
last looked at a project's home.

Points are idempotent by (metric, date): every writer — a person, a CSV/XLSX import, the API, a
source connector — goes through `services.record_points`, which updates the value of an existing
date instead of adding a second point. Each point says where it came from (`source`).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kabinet.core.models import Agency, Visibility


class Direction(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class Period(models.TextChoices):
    """How often a value is recorded: one point per day, per week (its Monday) or per month (the 1st)."""

    DAY = "day", _("daily")
    WEEK = "week", _("weekly")
    MONTH = "month", _("monthly")


class Aggregation(models.TextChoices):
    """How the points of a month add up for the month's figure and comparisons."""

    SUM = "sum", _("sum (sessions, leads, spend)")
    AVERAGE = "avg", _("average (position, conversion rate, cost per lead)")
    LAST = "last", _("last value (pages in the index, subscribers)")


# How a card says what its month's figure is, to a client (the choices' examples are for staff
# choosing one: "sum (sessions, leads, spend)" under a chart of sessions read as if it mixed them).
AGGREGATION_ON_CARD = {
    Aggregation.SUM: _("the month's total"),
    Aggregation.AVERAGE: _("the month's average"),
    Aggregation.LAST: _("the month's last value"),
}


class Source(models.TextChoices):
    """Where a point came from. Connectors add their own key (see kabinet.health.sources)."""

    MANUAL = "manual", _("entered by hand")
    IMPORT = "import", _("file import")
    API = "api", _("API")
    SAMPLE = "sample", _("sample data")
    YANDEX_METRICA = "yandex_metrica", _("Yandex Metrica")
    YANDEX_DIRECT = "yandex_direct", _("Yandex Direct")
    GA4 = "ga4", _("Google Analytics 4")
    GOOGLE_ADS = "google_ads", _("Google Ads")


class Metric(models.Model):
    """One KPI of a project: organic sessions, leads, cost per lead, average position…"""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey("clients.Project", on_delete=models.CASCADE, related_name="metrics")
    key = models.SlugField(
        _("key"), max_length=64, help_text=_("Stable name used by imports and the API.")
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(
        _("unit"), max_length=32, blank=True, help_text=_("e.g. visits, ₽, %, position")
    )
    decimals = models.PositiveSmallIntegerField(_("decimal places"), default=0)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    period = models.CharField(_("period"), max_length=8, choices=Period.choices, default=Period.DAY)
    aggregation = models.CharField(
        _("monthly figure"), max_length=8, choices=Aggregation.choices, default=Aggregation.SUM
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.CLIENT
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # The source that fills it automatically ("" = by hand, files and the API only).
    source = models.CharField(_("filled from"), max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The current expectation and forecast (the latest of each; earlier ones are their history),
    # kept by `set_expectation` / `set_forecast`, so a page with KPI cards reads them with the
    # metrics instead of looking for the latest row per metric.
    current_expectation = models.ForeignKey(
        "Expectation", on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    current_forecast = models.ForeignKey(
        "Forecast", on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    # Counts the writes that changed a value of this KPI (`services.write_points`, the only writer
    # of points): with the metric's own fields it says whether a rendered card is still true.
    points_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["project", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="one_metric_key_per_project")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})" if self.unit else self.name

    @property
    def higher_is_better(self) -> bool:
        return self.direction == Direction.HIGHER

    @property
    def monthly_figure_label(self) -> str:
        """What the card's figure is, in the reader's words ("the month's total")."""
        return str(AGGREGATION_ON_CARD.get(self.aggregation, self.get_aggregation_display()))


class Point(models.Model):
    """One value of a metric on one date. UNIQUE(metric, date) makes every writer idempotent."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="points")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    source = models.CharField(_("source"), max_length=32, default=Source.MANUAL)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    batch = models.ForeignKey(
        "health.Import", on_delete=models.SET_NULL, null=True, blank=True, related_name="points"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("KPI value")
        verbose_name_plural = _("KPI values")
        ordering = ["metric", "date"]
        constraints = [
            models.UniqueConstraint(fields=["metric", "date"], name="one_point_per_metric_date")
        ]

    def __str__(self) -> str:
        return f"{self.metric_id} {self.date}: {self.value}"


def import_path(instance: Import, filename: str) -> str:
    return f"agency-{instance.agency_id}/kpi-imports/{timezone.now():%Y/%m}/{filename}"


class Import(models.Model):
    """An uploaded CSV/XLSX file. It is stored at once (state `staged`) so that nothing the user
    uploaded is lost while they map the columns or when the rows are refused."""

    class State(models.TextChoices):
        STAGED = "staged", _("waiting for the column mapping")
        REFUSED = "refused", _("refused: nothing imported")
        IMPORTED = "imported", _("imported")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(
        "clients.Project", on_delete=models.CASCADE, related_name="kpi_imports"
    )
    file = models.FileField(upload_to=import_path, max_length=500)
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    state = models.CharField(max_length=16, choices=State.choices, default=State.STAGED)
    mapping = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    rows_imported = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("KPI import")
        verbose_name_plural = _("KPI imports")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class Expectation(models.Model):
    """What the client expects: a target of a metric by a date. The latest per metric is current;
    earlier ones stay as the history of revisions."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(
        "clients.Project", on_delete=models.CASCADE, related_name="expectations"
    )
    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="expectations")
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=4)
    by_date = models.DateField(_("by"))
    note = models.TextField(_("in the client's words"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("client's expectation")
        verbose_name_plural = _("client's expectations")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.metric}: {self.target} by {self.by_date}"


class Forecast(models.Model):
    """What the agency forecasts: a realistic range of a metric's monthly figure by a date."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(
        "clients.Project", on_delete=models.CASCADE, related_name="forecasts"
    )
    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="forecasts")
    low = models.DecimalField(_("at least"), max_digits=18, decimal_places=4)
    high = models.DecimalField(_("at most"), max_digits=18, decimal_places=4)
    by_date = models.DateField(_("by"))
    note = models.TextField(_("reasoning"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agency's forecast")
        verbose_name_plural = _("agency's forecasts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(low__lte=models.F("high")), name="forecast_range_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric}: {self.low}–{self.high} by {self.by_date}"


class PlanItem(models.Model):
    """One line of a published plan (a chronology event of kind `plan`), optionally carried by a
    task — the client's home shows the task's state beside the line."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(
        "clients.Project", on_delete=models.CASCADE, related_name="plan_items"
    )
    plan = models.ForeignKey("timeline.Event", on_delete=models.CASCADE, related_name="plan_items")
    title = models.CharField(_("plan item"), max_length=300)
    task = models.ForeignKey(
        "work.Task",
        verbose_name=_("carried by task"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_items",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class ProjectVisit(models.Model):
    """When a person last opened a project's home, so it can say what is new since then.

    `previous_at` is the visit before the current one; a reload within the same sitting keeps it.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey("clients.Project", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_at = models.DateTimeField(default=timezone.now)
    previous_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_visit_row_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.project_id} {self.last_at:%Y-%m-%d %H:%M}"


class Connection(models.Model):
    """A project's link to one reporting source (Yandex Metrica, Yandex Direct, GA4, Google Ads).

    `account` is what the source calls the thing to read: the Metrica counter, the Direct client
    login, the GA4 property, the Google Ads customer. `mapping` says which of the project's KPIs is
    filled from which source field ({"organic_sessions": "ym:s:visits | ym:s:trafficSource==
    'organic'"}). The token is kept encrypted (`kabinet.health.crypto`) and never shown again:
    `token_hint` keeps its last characters for "stored, ends in …".
    """

    class Kind(models.TextChoices):
        YANDEX_METRICA = Source.YANDEX_METRICA.value, Source.YANDEX_METRICA.label
        YANDEX_DIRECT = Source.YANDEX_DIRECT.value, Source.YANDEX_DIRECT.label
        GA4 = Source.GA4.value, Source.GA4.label
        GOOGLE_ADS = Source.GOOGLE_ADS.value, Source.GOOGLE_ADS.label

    class State(models.TextChoices):
        NEW = "new", _("not synced yet")
        OK = "ok", _("synced")
        ERROR = "error", _("error, will retry")
        NEEDS_TOKEN = "needs_token", _("needs a new token")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(
        "clients.Project", on_delete=models.CASCADE, related_name="kpi_connections"
    )
    kind = models.CharField(_("source"), max_length=32, choices=Kind.choices)
    account = models.CharField(
        _("account"),
        max_length=100,
        help_text=_(
            "Metrica counter ID, Direct client login, GA4 property ID or Google Ads customer ID."
        ),
    )
    manager_account = models.CharField(
        _("manager account"),
        max_length=100,
        blank=True,
        help_text=_("Google Ads only: the manager (MCC) customer ID the access goes through."),
    )
    mapping = models.JSONField(_("KPIs and source fields"), default=dict, blank=True)
    token_encrypted = models.TextField(editable=False)
    token_hint = models.CharField(max_length=8, blank=True, editable=False)
    token_changed_at = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(_("active"), default=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.NEW)
    last_error = models.TextField(blank=True)
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    next_retry_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("source connection")
        verbose_name_plural = _("source connections")
        ordering = ["project", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="one_connection_per_source")
        ]
        indexes = [models.Index(fields=["active", "next_retry_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.account}"


class StoredFlag(models.Model):
    """A flag for the manager, stored by the daily job (`services.store_flags`): an expectation
    outside the forecast ("talk now") or actuals trending below it. `cause` identifies what raised
    it (the expectation's or the forecast's row and the projection's month), so the manager is
    notified once per cause; a flag whose cause is gone is resolved (`resolved_at`)."""

    class Kind(models.TextChoices):
        EXPECTATION = "expectation", _("expectation outside the forecast")
        TREND = "trend", _("actuals trend below the forecast")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey("clients.Project", on_delete=models.CASCADE, related_name="+")
    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    cause = models.CharField(max_length=120)
    # The reason in each language of the site ({"ru": "...", "en": "..."}): managers read it in theirs.
    reasons = models.JSONField(default=dict)
    raised_at = models.DateTimeField(default=timezone.now)
    checked_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("results flag")
        verbose_name_plural = _("results flags")
        ordering = ["project", "kind", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "metric", "kind", "cause"], name="one_flag_per_cause"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.metric_id}: {self.reason[:60]}"

    @property
    def reason(self) -> str:
        from django.utils.translation import get_language

        lang = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        return self.reasons.get(lang) or next(iter(self.reasons.values()), "")


class DigestState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SENT = "sent", _("sent")


class Digest(models.Model):
    """One week's letter to the client of one project (kabinet.health.digests).

    Drafted once per project and ISO week (`week_start` is its Monday) in the client's language;
    the manager edits and sends it, or it goes out as drafted when the client company opted in.
    `version` grows with every save, so an edit made on an outdated copy is a conflict, not a
    silent overwrite. Once sent, `event` is the client-visible chronology entry holding the letter.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey("clients.Project", on_delete=models.CASCADE, related_name="digests")
    week_start = models.DateField(_("week from"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("letter (Markdown)"))
    drafted_body = models.TextField(blank=True)
    item_count = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=8, choices=DigestState.choices, default=DigestState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_automatically = models.BooleanField(default=False)
    event = models.ForeignKey(
        "timeline.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("weekly digest")
        verbose_name_plural = _("weekly digests")
        ordering = ["-week_start", "project__company__name", "project__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "week_start"], name="one_digest_per_project_week"
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_sent(self) -> bool:
        return self.state == DigestState.SENT

    @property
    def is_empty(self) -> bool:
        return self.item_count == 0

    @property
    def iso_week(self) -> str:
        year, week, _day = self.week_start.isocalendar()
        return f"{year}-W{week:02d}"


class DigestSetting(models.Model):
    """A client company's choice: send the weekly digest as drafted, without the manager's click.

    Set by the client herself, or by the manager on her behalf (the audit trail says who)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    company = models.OneToOneField(
        "clients.ClientCompany", on_delete=models.CASCADE, related_name="digest_setting"
    )
    send_as_drafted = models.BooleanField(_("send the weekly digest as drafted"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("weekly digest setting")
        verbose_name_plural = _("weekly digest settings")

    def __str__(self) -> str:
        return f"{self.company_id}: {self.send_as_drafted}"


# --------------------------------------------------------------------------- the understanding index


class ItemView(models.Model):
    """The first time a client person opened a client-visible chronology item (a report, a plan,
    a recommendation…). One row per person and item: later views change nothing."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey("clients.Project", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey("timeline.Event", on_delete=models.CASCADE, related_name="views")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    first_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_first_view_per_person")
        ]
        indexes = [models.Index(fields=["project", "first_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} opened {self.event_id} at {self.first_at:%Y-%m-%d %H:%M}"


def default_weights() -> dict:
    from kabinet.lib.understanding import DEFAULT_WEIGHTS

    return dict(DEFAULT_WEIGHTS)


class UnderstandingSettings(models.Model):
    """The agency's weights of the index's components, the agreed cadence of updates and the
    alarm thresholds; optional weights per client tier. The head edits them."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="+")
    cadence_days = models.PositiveSmallIntegerField(
        _("agreed cadence of updates, business days"), default=5
    )
    weights = models.JSONField(_("weights"), default=default_weights)
    # {"gold": {"silence": 4.0, ...}}: a tier with its own weights; a tier not here uses `weights`.
    tier_weights = models.JSONField(_("weights per client tier"), default=dict, blank=True)
    threshold = models.DecimalField(
        _("alarm below"), max_digits=4, decimal_places=1, default=Decimal("5.0")
    )
    drop_points = models.DecimalField(
        _("alarm on a drop of at least"), max_digits=4, decimal_places=1, default=Decimal("2.0")
    )
    drop_days = models.PositiveSmallIntegerField(_("within days"), default=7)
    # What `kabinet health backtest` proposed: {"weights": {...}, "method": ..., "auc": ..., "at": ...}
    proposal = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency (kabinet.core.concurrency): one more on every save by a person.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("understanding index settings")
        verbose_name_plural = _("understanding index settings")

    def __str__(self) -> str:
        return f"understanding settings of {self.agency_id}"


class UnderstandingSnapshot(models.Model):
    """The index of one project (or, with `project` empty, of one client company) on one day,
    with every component as scored that day: the history behind the chart and the alarms."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(
        "clients.ClientCompany", on_delete=models.CASCADE, related_name="understanding"
    )
    project = models.ForeignKey(
        "clients.Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="understanding",
    )
    day = models.DateField()
    index = models.DecimalField(max_digits=4, decimal_places=2)
    components = models.JSONField(default=dict)
    measurements = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)
    # A company's alarm on that day, written by the daily job (and again when the head changes
    # the alarm rules): the head's page sorts and counts by it without reading the history.
    attention = models.BooleanField(default=False)
    alarm = models.JSONField(null=True, blank=True)
    # A company's account manager on that day (the one on its first project), written by the daily
    # job and again when a project team changes: the head's page groups its clients by it.
    # Empty on a project's rows.
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A company's work at risk — its open tasks overdue or forecast late — as counted at
    # `at_risk_at`: by the daily job and again by every plan run (on each change of the agency's
    # work, and hourly), so the head's page reads it instead of counting the tasks per request.
    # 0 on a project's rows.
    at_risk = models.PositiveIntegerField(default=0)
    at_risk_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "day"],
                condition=models.Q(project__isnull=False),
                name="one_project_snapshot_per_day",
            ),
            models.UniqueConstraint(
                fields=["company", "day"],
                condition=models.Q(project__isnull=True),
                name="one_company_snapshot_per_day",
            ),
        ]
        indexes = [models.Index(fields=["agency", "day"])]

    def __str__(self) -> str:
        return f"{self.company_id}/{self.project_id or '-'} {self.day}: {self.index}"
