"""Parts of pages kept in the shared cache until the data they show changes.

The content of a list page (its filter form, its rows, its pagination) is the same for everyone
of the same role who asks the same question in the same language and time zone; rendering it
cost 5-15 ms a request (the queries, one template per form field, the rows). A view hands the
rendering to `cached_fragment`, which keeps the HTML in the cache under a key made of:

- the template and the request's path and query string (the question),
- the viewer's roles (which decide what a list may show), language and time zone,
- the generation of each *data set* the fragment shows ("members", "applications"),
- a fingerprint of the code (templates, Python, catalogues): a deployment starts afresh.

A data set is a list of models (`track`). Every save, deletion and many-to-many change of one of
them gives the set a new generation, at once and again when the transaction commits (a page
rendered meanwhile from the data before the commit is stored under the generation that the
commit replaces, so it is never served). Writes that send no signal (QuerySet.update,
bulk_create) call `changed(name)` themselves.

What may be in a fragment: nothing about the viewer beyond the key. Its template gets the
context its view builds and a `request` that has only `GET` and `path`; no user, no CSP nonce.
A form that posts may use `{% csrf_token %}`: a placeholder is stored and each viewer's own
token is put in its place when the fragment is served (aiii/page_tokens.py).

When it is used: only with a cache that every process serving the portal shares
(AIII_FRAGMENT_CACHE, on with Redis; the test suite and the benchmark's single worker turn it on
for the local-memory cache). During a Redis outage fragments are rendered afresh, never kept in
one process's fallback memory (aiii/cache.py), which other processes would not see change. A new
generation that could not reach Redis is sent again when it answers, and every entry expires
after AIII_FRAGMENT_SECONDS whatever happens: the bound on how long a change could go unseen.

Time can make a fragment out of date too (a meeting that ends leaves the upcoming ones): such a
fragment names the moment (`until`), its stamp keeps it, and it is not served past it. A part of
a page that is data rather than one template (the counts and rows an app gives the home) is kept
the same way by `cached_value`.

What the cache keeps for a key is a small stamp (the generations, the id of the rendering) and,
apart, the rendering's HTML. Each process also keeps the last LOCAL_MEMORY renderings it used,
by id: a request reads the stamp and the generations in one round trip, and fetches the HTML
only when this process does not have that very rendering. A copy in memory is served only while
the shared cache names it, so it expires, and is replaced, when the shared entry does.
"""

import functools
import hashlib
import math
import threading
import uuid
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from .cache import CacheUnavailable, FailSoftRedisCache
from .memory import Memory
from .page_tokens import csrf_placeholder, page_token, with_token
from .permissions import user_roles

KEY_PREFIX = "fragment"
HTML_SUFFIX = ":html"
MAX_KEPT_PARAM = 100  # characters of one query parameter's value in a page that is kept
MAX_KEPT_VALUES = 20  # values of one query parameter (e.g. areas ticked) in a page that is kept
LOCAL_MEMORY = 256  # renderings kept in this process too (aiii.memory)
LOCAL_MEMORY_CHARS = 16_000_000  # and never more than this much text in all
_datasets = {}  # name -> [models]
_personal = set()  # names of the data sets kept per person (track_personal)
_pending = set()  # data sets whose new generation did not reach the cache
_pending_lock = threading.Lock()
local = Memory(LOCAL_MEMORY, max_chars=LOCAL_MEMORY_CHARS)  # rendering id -> HTML


# --- data sets ----------------------------------------------------------------------------------


def track(name, *models, ignore_update_fields=()):
    """Make every change of `models` a change of the data set `name`.

    `ignore_update_fields`: saves that update only these fields show nothing new (e.g. the
    user's last_login, written at each sign-in) and leave the generation alone.
    """
    ignored = frozenset(ignore_update_fields)
    _datasets.setdefault(name, []).extend(models)

    def saved(sender, update_fields=None, **kwargs):
        if ignored and update_fields and set(update_fields) <= ignored:
            return
        changed(name)

    def deleted(sender, **kwargs):
        changed(name)

    def m2m(sender, action, **kwargs):
        if action in ("post_add", "post_remove", "post_clear"):
            changed(name)

    # weak=False: the receivers are closures that nothing else refers to.
    for model in models:
        uid = f"aiii.fragments:{name}:{model._meta.label}"
        post_save.connect(saved, sender=model, weak=False, dispatch_uid=uid + ":save")
        post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=uid + ":delete")
        if model._meta.auto_created:  # a many-to-many table
            m2m_changed.connect(m2m, sender=model, weak=False, dispatch_uid=uid + ":m2m")


def track_personal(name):
    """A data set kept per person (e.g. one member's reading marks and subscriptions): no model
    renews it; `changed_for(name, person)` does, for that person only, and a fragment or value
    names it in `datasets` as `(name, person)`. Another person's changes leave it alone; a
    change of every data set (`changed()`) renews everyone's."""
    _personal.add(name)
    _datasets.setdefault(name, [])  # everyone's at once: the set's own generation


def changed_for(name, person):
    """The personal data set `name` of `person` (their id) changed."""
    if name not in _personal:
        raise ValueError(f"Untracked personal data set: {name}")
    changed(_personal_name(name, person))


def _personal_name(name, person):
    return f"{name}:{int(person)}"


def changed(*names):
    """The data sets `names` (all when none) changed: no fragment rendered before shows."""
    names = names or tuple(_datasets)
    if not fragments_enabled():
        return
    _new_generations(names)
    if transaction.get_connection().in_atomic_block:
        # Again once the change is visible to other processes (see the module's docstring).
        transaction.on_commit(functools.partial(_new_generations, names))


def _generation_key(name):
    return f"{KEY_PREFIX}:generation:{name}"


def _new_generations(names):
    values = {_generation_key(name): uuid.uuid4().hex for name in names}
    try:
        _strict("set_many", values, timeout=None)
    except CacheUnavailable:
        with _pending_lock:
            _pending.update(names)
        return
    with _pending_lock:
        _pending.difference_update(names)


def _send_pending():
    """Send the generations this process could not; CacheUnavailable while any is still
    unsent, so that no copy older than a change made here is served meanwhile."""
    if not _pending:
        return
    with _pending_lock:
        names = tuple(_pending)
    _new_generations(names)
    if _pending:
        raise CacheUnavailable


# --- the cache, without the fail-soft fallback --------------------------------------------------


def fragments_enabled():
    return settings.AIII_FRAGMENT_CACHE


def _strict(method, *args, **kwargs):
    """Call the cache; CacheUnavailable instead of a process-local stand-in during an outage."""
    backend = caches["default"]
    if isinstance(backend, FailSoftRedisCache):
        return backend.without_fallback(method, *args, **kwargs)
    return getattr(backend, method)(*args, **kwargs)


# --- the fingerprint of the code ----------------------------------------------------------------


@functools.cache
def code_fingerprint():
    """A digest of the project's templates, Python modules and message catalogues (their
    names, sizes and modification times) and of Django's version."""
    digest = hashlib.sha256(django.get_version().encode())
    base = Path(settings.BASE_DIR)
    skip = {".venv", "var", "node_modules", ".git", "tests", "__pycache__"}
    for path in sorted(_code_files(base, skip)):
        stat = path.stat()
        digest.update(f"{path.relative_to(base)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def _code_files(base, skip):
    for entry in base.iterdir():
        if entry.name in skip or entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _code_files(entry, skip)
        elif entry.suffix in (".py", ".html", ".txt", ".mo"):
            yield entry


# --- rendering ----------------------------------------------------------------------------------


class _FragmentRequest:
    """What a fragment's template may read of the request: the question, not the asker."""

    def __init__(self, request):
        self.GET = request.GET
        self.path = request.path


def _key(request, template_name, vary):
    parts = [
        code_fingerprint(),
        template_name,
        request.path,
        sorted(request.GET.lists()),
        sorted(user_roles(request.user)),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        vary,
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}:{template_name}:{digest}"


class Fragment(SafeString):
    """A fragment's HTML, ready to show (the viewer's token in place), that also says which
    cached copy it is: `identity` (its key and the rendering's own id; None when it was rendered
    afresh, not kept) and `raw` (the copy as kept, with the placeholder)."""

    identity = None
    raw = ""

    @classmethod
    def of(cls, request, html, identity=None):
        fragment = cls(with_token(request, html))
        fragment.identity, fragment.raw = identity, html
        return fragment


def cached_fragment(request, template_name, *, datasets, context, params, vary=(), until=None):
    """The HTML of `template_name` rendered with `context()` (a callable: it runs, with its
    queries, only when the fragment is not in the cache), for the data sets `datasets`, as a
    `Fragment`.

    `params`: the query parameters the page understands (its filter form's fields, "page", …).
    A request with any other is answered but not kept, so that made-up addresses cannot fill
    the cache. `vary`: anything else the HTML depends on (hashable, with a stable repr).
    `until`: for a fragment that shows what is still ahead (meetings not yet ended), a callable
    given the context that returns the moment from which the HTML is out of date even if no
    data changes (an aware datetime, or None); the copy is not served from then on."""
    if not fragments_enabled() or not _keepable(request.GET, params):
        return Fragment.of(request, _render(request, template_name, context(), csrf=None))
    key = _key(request, template_name, vary)
    generation_keys = _generation_keys(datasets)
    try:
        stamp, generations = _lookup(key, generation_keys)
        if _current(stamp, generations):
            html = _kept_html(key, stamp[1])
            if html is not None:
                return Fragment.of(request, html, (key, stamp[1]))
    except CacheUnavailable:
        return Fragment.of(request, _render(request, template_name, context(), csrf=None))
    values = context()
    html = _render(request, template_name, values, csrf=csrf_placeholder())
    moment = until(values) if until is not None else None
    timeout = _timeout(moment)
    if not timeout:  # out of date already
        return Fragment.of(request, html)
    rendering = uuid.uuid4().hex
    try:
        _strict(
            "set_many",
            {key: (generations, rendering, moment), key + HTML_SUFFIX: (rendering, html)},
            timeout=timeout,
        )
    except CacheUnavailable:
        return Fragment.of(request, html)
    local.put(rendering, html)
    return Fragment.of(request, html, (key, rendering))


def _keepable(query, params):
    """Whether a page asked with `query` may be kept: only the parameters the page understands,
    with few and short values (a search of a few words, a page number, the areas ticked in a
    filter), so that made-up or ever-longer queries are answered without filling the cache."""
    if set(query) - set(params):
        return False
    return all(
        len(values) <= MAX_KEPT_VALUES and all(len(value) <= MAX_KEPT_PARAM for value in values)
        for _name, values in query.lists()
    )


def cached_value(request, name, *, datasets, compute, vary=(), until=None):
    """What `compute()` returns (a callable: it runs only when the value is not in the cache),
    kept as a fragment is, for the parts of a page that are data rather than one template
    (e.g. the counts and rows an app gives the home): under `name`, the viewer's roles, language
    and time zone, `vary` (hashable, with a stable repr) and the generations of `datasets`. The
    value must pickle. `until`: a callable given the value that returns the moment from which
    it is out of date even if no data changes (an aware datetime, or None)."""
    if not fragments_enabled():
        return compute()
    parts = [
        code_fingerprint(),
        name,
        sorted(user_roles(request.user)),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        vary,
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"{KEY_PREFIX}:value:{name}:{digest}"
    generation_keys = _generation_keys(datasets)
    try:
        kept, generations = _lookup(key, generation_keys)
    except CacheUnavailable:
        return compute()
    if _current(kept, generations):
        return kept[1]
    value = compute()
    moment = until(value) if until is not None else None
    timeout = _timeout(moment)
    if timeout:
        try:
            _strict("set", key, (generations, value, moment), timeout=timeout)
        except CacheUnavailable:
            pass
    return value


def _generation_keys(datasets):
    """The cache keys of the generations of `datasets`: names of data sets, or (name, person)
    for a personal one."""
    names = []
    for dataset in datasets:
        if isinstance(dataset, tuple):
            name, person = dataset
            if name not in _personal:
                raise ValueError(f"Untracked personal data set: {name}")
            names += [name, _personal_name(name, person)]
        elif dataset in _datasets:
            names.append(dataset)
        else:
            raise ValueError(f"Untracked data sets: {dataset}")
    return [_generation_key(name) for name in names]


def _lookup(key, generation_keys):
    """(what the cache keeps under `key`, the data sets' generations), in one round trip."""
    _send_pending()
    found = _strict("get_many", [key, *generation_keys])
    generations = [found.get(k) for k in generation_keys]
    if None in generations:
        generations = _start_generations(generation_keys, generations)
    return found.get(key), generations


def _current(kept, generations):
    """Whether what the cache keeps (generations, the rendering or value, the moment it is out
    of date or None) is of these generations and not yet out of date."""
    if kept is None or kept[0] != generations:
        return False
    return kept[2] is None or timezone.now() < kept[2]


def _timeout(until):
    """How long to keep an entry: AIII_FRAGMENT_SECONDS, or less when what it shows is out of
    date at `until` (whole seconds, rounded down; the entry is not served past `until` in any
    case); 0 when it is out of date already."""
    seconds = settings.AIII_FRAGMENT_SECONDS
    if until is not None:
        seconds = min(seconds, math.floor((until - timezone.now()).total_seconds()))
    return max(seconds, 0)


def _kept_html(key, rendering):
    """The HTML of the rendering the cache names for `key`: from this process's memory when
    it has it (a few tens of KB not fetched again), else from the cache; None if gone."""
    html = local.get(rendering)
    if html is None:
        kept = _strict("get", key + HTML_SUFFIX)
        # Another process may have rendered the key again since the stamp was read: only the
        # HTML of the rendering the stamp names will do.
        if kept is None or kept[0] != rendering:
            return None
        html = kept[1]
        local.put(rendering, html)
    return html


def _start_generations(keys, generations):
    """Generations for data sets that have none yet (a new or emptied cache)."""
    result = []
    for key, value in zip(keys, generations, strict=True):
        if value is None:
            _strict("add", key, uuid.uuid4().hex, timeout=None)
            value = _strict("get", key)
            if value is None:  # gone again at once: not a cache to keep anything in now
                raise CacheUnavailable
        result.append(value)
    return result


def _render(request, template_name, context, *, csrf):
    context = {**context, "request": _FragmentRequest(request)}
    if csrf is not None:
        context["csrf_token"] = csrf
    elif "csrf_token" not in context:
        context["csrf_token"] = page_token(request)
    return mark_safe(render_to_string(template_name, context))
