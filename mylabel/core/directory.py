"""What the artist and associate directories share: the GET filter form's base, pagination that
explains a bad page number instead of failing, and the page-or-fragment response.

A directory never answers a bad filter value with an error page: the value is dropped, the page
shows results unfiltered by it, and ``problems`` says what was ignored.

The results region (the count, twenty cards, the page links) is the same for everyone who asks
for the same filters in the same language, and it is most of a directory page's cost (a ranked
or counted query over every match, then the cards). So it is cached, rendered, for the setting
``DIRECTORY_RESULTS_CACHE_SECONDS`` (0 turns it off) under a generation token
(``mylabel.core.cached``) that ``forget_directory_results`` ends after the commit of every
write a card shows: profiles, their genres and professions, services, ratings, accounts. A
change shows at once; the expiry bounds what a write that bypasses them (a bulk ``update()`` in
a shell, the admin's reference data) leaves behind. A region read under an old token is never
read again, so a slow request cannot put back what a change has replaced. A region that is not
cached is built from cards cached one by one under the same token (``profile_cards``).
"""

import hashlib
from typing import Any, Self

from django import forms
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django_htmx.http import push_url

from mylabel.components.templatetags.components import profile_card
from mylabel.core import cached
from mylabel.core.models import Genre

PAGE_SIZE = 20
RESULTS_PARTIAL = "directory-results"
GENERATION_KEY = "directory:generation"
WHAT = "Directory results"
MAX_QUERY_LENGTH = 200
TYPED_FIELDS = {"q", "city"}


class DirectoryFilterForm(forms.Form):
    """The filters every directory has. Subclasses add their own fields and ``SORT_CHOICES``.

    Build it with ``from_query(request.GET)``: that form is always valid, because values that
    fail validation are dropped (and described in ``problems``) rather than reported as errors.
    """

    # (key, label). The keys are the orderings of the model's ``directory_order``. "relevance"
    # means the search rank and is the default whenever there is a query.
    SORT_CHOICES: list[tuple[str, Any]] = [
        ("relevance", gettext_lazy("Best match")),
        ("newest", gettext_lazy("Newest")),
        ("name", gettext_lazy("Name (A–Z)")),  # noqa: RUF001 - an en dash, as typeset
    ]
    DEFAULT_SORT = "newest"

    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        widget=forms.SearchInput(
            attrs={
                "autocomplete": "off",
                "enterkeyhint": "search",
                "spellcheck": "false",
                "aria-describedby": "directory-search-hint",
            }
        ),
    )
    genre = forms.ChoiceField(
        label=gettext_lazy("Genre"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "There is no genre “%(value)s”, so the results are not filtered by genre."
            )
        },
    )
    city = forms.CharField(
        label=gettext_lazy("City"), required=False, max_length=80, widget=forms.TextInput()
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "“%(value)s” is not a way to sort this list, so it uses the default order."
            )
        },
    )

    def __init__(self, *args: Any, genres: list[Genre] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.problems: list[str] = []
        self.genres = list(Genre.objects.only("name", "slug")) if genres is None else genres
        self.fields["genre"].choices = [  # type: ignore[attr-defined]
            ("", _("All genres")),
            *((genre.slug, genre.name) for genre in self.genres),
        ]
        self.fields["sort"].choices = self.SORT_CHOICES  # type: ignore[attr-defined]
        self.fields["city"].widget.attrs["autocomplete"] = "address-level2"
        # The page's hx-trigger listens for typing in one class of fields and for changes in
        # the other, so a text field's blur does not send its value a second time.
        for name, field in self.fields.items():
            kind = "typed" if name in TYPED_FIELDS else "choice"
            field.widget.attrs["class"] = f"directory-filters__{kind}"

    def queryset_filters(self) -> dict[str, Any]:
        """Keyword arguments for the model's ``filter_directory``."""
        raise NotImplementedError

    def reference_data(self) -> dict[str, Any]:
        """The choices loaded from the database, handed to a rebuilt form so it does not load
        them again."""
        return {"genres": self.genres}

    @classmethod
    def from_query(cls, query: QueryDict) -> Self:
        """A valid form for ``query``: bad values are dropped and explained in ``problems``."""
        form = cls(query)
        if form.is_valid():
            return form
        problems = [str(message) for messages in form.errors.values() for message in messages]
        cleaned = query.copy()
        for name in form.errors:
            cleaned.pop(name, None)
        rebuilt = cls(cleaned, **form.reference_data())
        rebuilt.is_valid()  # only fields that passed before are left, so this cannot fail
        rebuilt.problems = problems
        return rebuilt

    def clean_q(self) -> str:
        # Long pastes are cut rather than refused; search_terms() keeps the first few words.
        return " ".join(self.cleaned_data["q"].split())[:MAX_QUERY_LENGTH]

    def clean_city(self) -> str:
        return " ".join(self.cleaned_data["city"].split())

    def clean_genre(self) -> Genre | None:
        slug = self.cleaned_data["genre"]
        return next((genre for genre in self.genres if genre.slug == slug), None)

    @property
    def effective_sort(self) -> str:
        """The ordering to use: the chosen one, else relevance when searching, else the default.
        Relevance without a query has nothing to rank, so it falls back to the default."""
        sort = self.cleaned_data.get("sort") or ""
        has_query = bool(self.cleaned_data.get("q"))
        if not sort or (sort == "relevance" and not has_query):
            return "relevance" if has_query else self.DEFAULT_SORT
        return sort

    @property
    def is_filtered(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.fields if name != "sort")

    def query_string(self) -> str:
        """The valid, non-empty filters as a query string: what links and the pushed URL carry."""
        query = QueryDict(mutable=True)
        for name in self.fields:
            value = self.cleaned_data.get(name)
            # The first sort choice is what no sort means; the select always sends a value.
            if value and not (name == "sort" and value == self.SORT_CHOICES[0][0]):
                query[name] = _as_query_value(value)
        return query.urlencode()


def _as_query_value(value: Any) -> str:
    if value is True:
        return "on"  # what a checked checkbox submits
    return str(getattr(value, "slug", value))  # reference data travels by slug


def paginate(
    queryset: QuerySet[Any], number: str | None, *, count_with_rows: bool = False
) -> tuple[Page, list[str]]:
    """The requested page of ``queryset``, or the nearest real page with a message saying why.

    ``count_with_rows`` counts the matches in the rows query (``COUNT(*) OVER ()``) instead of a
    separate ``COUNT``: one pass over the matches instead of two. Use it when the ordering has
    to visit every match anyway (the search rank); not when an index serves the ordering
    (newest), where fetching one page is cheap and only the count has to see every row.
    """
    shown = (number or "")[:20]
    try:
        requested = int(number) if number else 1
    except ValueError:
        requested, problem = 1, _("“%(page)s” is not a page number, so this is the first page.")
    else:
        problem = (
            "" if requested >= 1 else _("There is no page %(page)s, so this is the first page.")
        )
        requested = max(requested, 1)
    problems = [problem % {"page": shown}] if problem else []
    paginator = Paginator(queryset, PAGE_SIZE)
    if count_with_rows:
        page = _page_counted_with_rows(queryset, paginator, requested)
        if page is not None:
            return page, problems
    if requested > paginator.num_pages:
        last = paginator.num_pages
        problem = _("There is no page %(page)s; the last page is %(last)s.")
        return paginator.page(last), [problem % {"page": shown, "last": last}]
    return paginator.page(requested), problems


def _page_counted_with_rows(
    queryset: QuerySet[Any], paginator: Paginator, number: int
) -> Page | None:
    """Page ``number`` with the paginator's count taken from the same query, or None when that
    page is empty and there may be pages before it (the caller then counts separately).

    A queryset with a ``ranked_page(start, size)`` method (``AssociateQuerySet``) may answer
    instead: the page's rows and the total from its own ranking query, or ``None`` to be sliced
    as usual."""
    start = (number - 1) * PAGE_SIZE
    ranked_page = getattr(queryset, "ranked_page", None)
    ranked = ranked_page(start, PAGE_SIZE) if ranked_page is not None else None
    if ranked is not None:
        rows, total = ranked
    else:
        counted = queryset.annotate(directory_total=Window(Count("*")))
        rows = list(counted[start : start + PAGE_SIZE])
        total = rows[0].directory_total if rows else 0
    if not rows and number > 1:
        return None
    paginator.count = total
    return Page(rows, number, paginator)


def wants_results_only(request: HttpRequest) -> bool:
    """An htmx request for the results region. History restores want the whole page: htmx swaps
    their answer into <body> (and they also carry HX-Request)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not (htmx.boosted or htmx.history_restore_request)  # type: ignore[union-attr]


def render_directory(
    request: HttpRequest, template_name: str, *, form: DirectoryFilterForm, queryset: QuerySet[Any]
) -> HttpResponse:
    """The page, or only its results region for htmx, with the filters from ``form``.

    ``queryset`` must be ordered and card-ready (``for_cards()``): the page's query count is
    counted once in its tests and must not depend on the rows. It is only evaluated when the
    results region is not cached (see the module's docstring).
    """
    filters = form.query_string()
    results_only = wants_results_only(request)
    number = request.GET.get("page")
    # A region with a problem to explain (a dropped filter, a page that is not there) is built
    # each time: it is rare, and its message quotes what was sent.
    key = (
        None
        if form.problems
        else results_key(template_name, filters, number or "", str(results_only))
    )
    results = cached.call(WHAT, "get", key) if key else None
    if results is None:
        page, problems = paginate(
            queryset, number, count_with_rows=form.effective_sort == "relevance"
        )
        context = {
            "form": form,
            "page_obj": page,
            "cards": profile_cards(page),
            "problems": [*form.problems, *problems],
            "filter_query": filters,
            "sort": form.effective_sort,
            "results_only": results_only,
        }
        html = render_to_string(f"{template_name}#{RESULTS_PARTIAL}", context, request)
        results = (html, page.number)
        if key and not problems:
            cached.call(WHAT, "set", key, results, settings.DIRECTORY_RESULTS_CACHE_SECONDS)
    html, page_number = results
    if not results_only:
        # The region is our own template's output, escaped as it was rendered.
        context = {"form": form, "results": mark_safe(html)}  # noqa: S308
        return render(request, template_name, context)
    response = HttpResponse(html)
    # The form sends every field, empty ones too; history gets the tidy, shareable address.
    query = QueryDict(filters, mutable=True)
    if page_number > 1:
        query["page"] = str(page_number)
    address = f"{request.path}?{query.urlencode()}" if query else request.path
    return push_url(response, address)


def profile_cards(page: Page) -> list[str]:
    """The page's profile cards, rendered, each read from the cache when it is there.

    A results region missing from the cache (new filters, another page) mostly shows profiles
    other regions have shown already, and a card is the same wherever it is shown (its text and
    the active language only). So cards are cached one by one under the results' generation,
    which every write a card shows ends. The rows are read without their prefetches, which run
    for the missing cards alone: a page whose cards are all cached costs its rows query and one
    cache read, where rendering twenty cards cost two more queries and most of the region's time.
    """
    rows = page.object_list
    lookups: tuple[Any, ...] = ()
    if isinstance(rows, QuerySet):
        # A card-ready queryset (for_cards()): its prefetches wait until the misses are known.
        lookups = rows._prefetch_related_lookups  # type: ignore[attr-defined]
        rows = rows.prefetch_related(None)
    rows = page.object_list = list(rows)
    keys = _card_keys(rows)
    found = cached.call(WHAT, "get_many", list(keys.values())) if keys else None
    found = found if isinstance(found, dict) else {}
    missing = [row for row in rows if keys.get(row.pk) not in found]
    prefetch_related_objects(missing, *lookups)
    rendered = {
        row.pk: render_to_string("components/profile_card.html", profile_card(row))
        for row in missing
    }
    if keys and rendered:
        cached.call(
            WHAT,
            "set_many",
            {keys[pk]: html for pk, html in rendered.items()},
            settings.DIRECTORY_RESULTS_CACHE_SECONDS,
        )
    # Both are our own template's output, escaped as it was rendered.
    return [
        mark_safe(rendered[row.pk] if row.pk in rendered else found[keys[row.pk]])  # noqa: S308
        for row in rows
    ]


def _card_keys(rows: list[Any]) -> dict[Any, str]:
    """Each row's card key (the model, the row and the active language, under the results'
    generation); none when the cache is turned off or cannot be reached."""
    if not rows or settings.DIRECTORY_RESULTS_CACHE_SECONDS <= 0:
        return {}
    generation = cached.generation(WHAT, [GENERATION_KEY])
    if generation is None:
        return {}
    model = rows[0]._meta.label_lower
    return {row.pk: f"card:{generation}:{get_language()}:{model}:{row.pk}" for row in rows}


def results_key(*asked: str) -> str | None:
    """The cache key of the results ``asked`` describes (who shows them, and for which filters
    and page) in the active language, under the current generation; ``None`` when the cache
    is turned off (``DIRECTORY_RESULTS_CACHE_SECONDS`` 0) or cannot be reached."""
    if settings.DIRECTORY_RESULTS_CACHE_SECONDS <= 0:
        return None
    generation = cached.generation(WHAT, [GENERATION_KEY])
    if generation is None:
        return None
    digest = hashlib.blake2b("|".join([get_language(), *asked]).encode(), digest_size=16)
    return f"directory:{generation}:{digest.hexdigest()}"


def forget_directory_results(**_signal_kwargs: Any) -> None:
    """Every cached results region goes stale, once the current transaction commits. Also a
    signal receiver: a profile saved with its genres and search columns calls it several
    times, and one call per transaction is enough."""
    cached.forget_on_commit(WHAT, GENERATION_KEY)
