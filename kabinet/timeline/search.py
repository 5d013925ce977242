"""Full-text search over the chronology that understands Russian and English word forms.

- PostgreSQL: the built-in text search with both the 'russian' and the 'english' configurations
  over title + body (an expression GIN index on exactly that vector, migration 0002), ranked
  with SearchRank; the query words are OR-ed so that "Почему позиция сайта упала в выдаче?"
  finds "Отчёт о росте позиций в поисковой выдаче".
- SQLite: an FTS5 table (`timeline_event_fts`, rowid = event id) holding the Snowball-stemmed
  words of title + body; `index_event` keeps it in sync from `record_event`, `reindex` rebuilds it.

Scoping: the candidate ids come from a query restricted to the viewer's scoped queryset
(`kabinet.timeline.selectors.events`), and the final rows are loaded through it again — so
internal items never reach a client and another company's items never reach anyone.

Public API: `related(viewer, project, text, limit=5, exclude_ids=())` (one project, any word,
best first), `search(viewer, text, project_id=None, limit=20)` (ranked list), and
`filter_events(scoped_qs, text)` (every word, in any word form — for the chronology search box:
a condition inside the caller's query, so the chronology's page is cut by the database).

Bounded work: whatever a request hands in, `stems` reads at most `INDEXED_CHARS` characters and
`INDEXED_WORDS` words, and stems only the first `STEMMED_WORD` letters of a word (Snowball's
stemmers are quadratic in the length of one word: 800,000 × "y" held a worker for minutes).
So indexing is linear in the text and capped; `kabinet bench indexing` shows it. `related`
answers once per text: the ids are cached by the text's hash and the project's latest event, so
every staff view of a thread does not search again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from kabinet.core.scoping import Viewer
from kabinet.timeline.models import Event

FTS_TABLE = "timeline_event_fts"
PG_INDEX = "timeline_event_fts_ru_en"
MAX_QUERY_WORDS = 24
# The most of one text the index reads (characters, then words), and the letters of one word
# that are stemmed: a longer "word" is no word anyone searches for.
INDEXED_CHARS = 200_000
INDEXED_WORDS = 30_000
STEMMED_WORD = 40
RELATED_CACHE_SECONDS = 24 * 3600

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яё]")

# Words that carry no meaning for "what is this about" (Snowball's stop lists, shortened).
STOP_WORDS = frozenset(
    """
    и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне
    было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него
    до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы
    тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому
    этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех
    никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего них
    какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой
    им более всегда конечно всю между почему это как-то ещё наш наши ваш ваша
    a an and are as at be but by for from has have how i if in into is it its of on or our so that
    the their then there these they this to was we were what when where which who why will with
    you your do does did not no can could should would about after before
    """.split()
)


@lru_cache(maxsize=2)
def _stemmer(language: str):
    import snowballstemmer

    return snowballstemmer.stemmer(language)


def _capped_words(text: str, max_words: int, max_chars: int = INDEXED_CHARS) -> Iterable[str]:
    """The words of the first max_chars characters, each cut to STEMMED_WORD letters."""
    capped = (text or "")[:max_chars].lower().replace("ё", "е")
    for n, match in enumerate(_WORD.finditer(capped)):
        if n >= max_words:
            return
        yield match.group()[:STEMMED_WORD]


def stems(text: str, max_words: int = INDEXED_WORDS, max_chars: int = INDEXED_CHARS) -> list[str]:
    """Lower-cased, ё→е, stop words dropped, each word stemmed in its own language.

    Linear in the text and bounded: at most max_chars characters, max_words words and
    STEMMED_WORD letters per word are read (the benchmark lifts the first two caps to show the
    growth per character)."""
    out: list[str] = []
    for word in _capped_words(text, max_words, max_chars):
        if word in STOP_WORDS or (len(word) < 2 and not word.isdigit()):
            continue
        language = "russian" if _CYRILLIC.search(word) else "english"
        out.append(_stemmer(language).stemWord(word))
    return out


def _document(event: Event) -> str:
    return " ".join(stems(f"{event.title}\n{event.body}"))


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


# ----------------------------------------------------------------------------- indexing (SQLite)


def index_event(event: Event) -> None:
    """(Re)index one event. Called by record_event in the same transaction; no-op on PostgreSQL."""
    if not _is_sqlite():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [event.pk])
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, content) VALUES (%s, %s)",
            [event.pk, _document(event)],
        )


def reindex(events: Iterable[Event] | None = None) -> int:
    """Rebuild the SQLite index (all events, or the given ones). Returns how many were indexed."""
    if not _is_sqlite():
        return 0
    full = events is None
    rows = Event.objects.only("pk", "title", "body").iterator() if full else events
    count = 0
    with connection.cursor() as cursor:
        if full:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
        batch: list[tuple[int, str]] = []
        for event in rows:
            if not full:
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [event.pk])
            batch.append((event.pk, _document(event)))
            if len(batch) >= 500:
                cursor.executemany(
                    f"INSERT INTO {FTS_TABLE} (rowid, content) VALUES (%s, %s)", batch
                )
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, content) VALUES (%s, %s)", batch)
            count += len(batch)
    return count


# ----------------------------------------------------------------------------- querying


def pg_vector() -> SearchVector:
    """The PostgreSQL document vector; migration 0002 indexes exactly this expression."""
    # SearchVector coalesces NULLs itself.
    return (
        SearchVector("title", config="russian", weight="A")
        + SearchVector("body", config="russian", weight="B")
        + SearchVector("title", config="english", weight="A")
        + SearchVector("body", config="english", weight="B")
    )


def _words(text: str) -> list[str]:
    seen: list[str] = []
    for word in _capped_words(text, INDEXED_WORDS):
        if word not in STOP_WORDS and word not in seen and (len(word) > 1 or word.isdigit()):
            seen.append(word)
            if len(seen) == MAX_QUERY_WORDS:
                break
    return seen


def _ranked_ids(
    scope: QuerySet[Event], text: str, limit: int, match_all: bool = False
) -> list[int]:
    """Ids of matching events inside `scope`, best first (any word, or every word if match_all)."""
    if _is_postgres():
        words = _words(text)
        if not words:
            return []
        query = _pg_query(words, match_all)
        return list(
            scope.annotate(_document=pg_vector())
            .filter(_document=query)
            .annotate(_rank=SearchRank(pg_vector(), query))
            .order_by("-_rank", "-occurred_at")
            .values_list("pk", flat=True)[:limit]
        )
    if _is_sqlite():
        match = _fts_match(text, match_all)
        if not match:
            return []
        scope_sql, scope_params = scope.values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
                f"AND rowid IN ({scope_sql}) ORDER BY rank LIMIT %s",
                [match, *scope_params, limit],
            )
            return [row[0] for row in cursor.fetchall()]
    # Other databases: plain substring search on the words.
    from django.db.models import Q

    condition = Q()
    for word in _words(text)[:8]:
        word_q = Q(title__icontains=word) | Q(body__icontains=word)
        condition = condition & word_q if match_all else condition | word_q
    return list(
        scope.filter(condition).order_by("-occurred_at").values_list("pk", flat=True)[:limit]
    )


def _scope(viewer: Viewer, project_id, kinds: tuple[str, ...], exclude: list[int]):
    from kabinet.timeline.selectors import events

    scope = events(viewer)
    if project_id is not None:
        scope = scope.filter(project_id=project_id)
    if kinds:
        scope = scope.filter(kind__in=kinds)
    if exclude:
        scope = scope.exclude(pk__in=exclude)
    return scope


def search(
    viewer: Viewer,
    text: str,
    *,
    project_id: int | None = None,
    limit: int = 20,
    kinds: Iterable[str] = (),
    exclude_ids: Iterable[int] = (),
) -> list[Event]:
    """Events the viewer may see that match `text`, most relevant first."""
    exclude = [int(i) for i in exclude_ids]
    scope = _scope(viewer, project_id, tuple(kinds), exclude)
    return _load(scope, _ranked_ids(scope, text, limit))


def _load(scope: QuerySet[Event], ids: list[int]) -> list[Event]:
    if not ids:
        return []
    # Load through the scoped queryset again: the index is never trusted with access.
    rows = scope.filter(pk__in=ids).select_related("author", "project")
    by_id = {e.pk: e for e in rows}
    return [by_id[i] for i in ids if i in by_id]


def _pg_query(words: list[str], match_all: bool) -> SearchQuery:
    # Either language's word forms: the words come from \w+ so the raw tsquery is safe; stop
    # words are dropped by PostgreSQL itself.
    raw = (" & " if match_all else " | ").join(words)
    return SearchQuery(raw, config="russian", search_type="raw") | SearchQuery(
        raw, config="english", search_type="raw"
    )


def _fts_match(text: str, match_all: bool) -> str:
    terms = sorted(set(stems(text)))[:MAX_QUERY_WORDS]
    return (" AND " if match_all else " OR ").join('"' + t.replace('"', "") + '"' for t in terms)


def filter_events(qs: QuerySet[Event], text: str) -> QuerySet[Event]:
    """Narrow an already scoped events queryset to those containing every word of `text` in
    any word form (for the chronology search box; the caller keeps its own ordering).

    The match is a condition of the caller's own query — the GIN expression index on
    PostgreSQL, the FTS5 table joined by rowid on SQLite — next to the scope's visibility
    condition, so the database stops at the caller's page instead of collecting every match of
    the history first."""
    if not (text or "").strip():
        return qs
    if _is_postgres():
        words = _words(text)
        if not words:
            return qs.none()
        return qs.alias(_document=pg_vector()).filter(_document=_pg_query(words, match_all=True))
    if _is_sqlite():
        match = _fts_match(text, match_all=True)
        if not match:
            return qs.none()
        return qs.filter(
            pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
        )
    from django.db.models import Q

    condition = Q()
    for word in _words(text)[:8]:
        condition &= Q(title__icontains=word) | Q(body__icontains=word)
    return qs.filter(condition)


def related(
    viewer: Viewer, project, text: str, limit: int = 5, exclude_ids: Iterable[int] = ()
) -> list[Event]:
    """The project's earlier items most related to `text` (for the answer box).

    Computed once per text: the ids are ranked among the project's events (client-visible
    ones only for a client) and cached under the text's hash and the project's latest event (a
    new event makes a new answer). The rows are then loaded through the viewer's own scope
    every time, so neither the ranking nor the cache is trusted with access."""
    from kabinet.core.models import Visibility

    exclude = sorted({int(i) for i in exclude_ids})
    scope = _scope(viewer, project.pk, (), exclude)
    ranked = Event.objects.filter(agency_id=project.agency_id, project_id=project.pk)
    if viewer.is_client:
        ranked = ranked.filter(visibility=Visibility.CLIENT)
    if exclude:
        ranked = ranked.exclude(pk__in=exclude)
    latest = (
        Event.objects.filter(agency_id=project.agency_id, project_id=project.pk)
        .order_by("-pk")
        .values_list("pk")
        .first()
    )
    digest = hashlib.sha256((text or "").encode("utf-8", "surrogatepass")).hexdigest()
    key = "related:{}:{}:{}:{}:{}:{}".format(
        project.pk,
        int(viewer.is_client),
        latest[0] if latest else 0,
        limit,
        hashlib.sha256(",".join(map(str, exclude)).encode()).hexdigest()[:16],
        digest,
    )
    ids = cache.get(key)
    if ids is None:
        ids = _ranked_ids(ranked, text, limit)
        cache.set(key, ids, RELATED_CACHE_SECONDS)
    return _load(scope, ids)
