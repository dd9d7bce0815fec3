"""The header and footer of every page, rendered once per process for each way they can look.

Rendering them (the navigation, a dozen translated strings and addresses, the sign-out form)
took about 0.7 ms of every page; on the member directory, whose content comes from the cache,
that was half of Django's time. Yet the header is the same for every request with the same
language, navigation, roles and address, and the footer the same for everyone in a language.
`{% remembered "site-header" %}…{% endremembered %}` (templates/base.html) renders its markup
once for each such key and keeps the result in this process's memory (the PART_MEMORY most
recently used; none with DEBUG on, where templates change on disk).

What a part may show is what its function in PARTS gives, and nothing else: the markup is
rendered with a context made only of those values (as `{% include … only %}` does), and those
values are the key. A variable the function does not give renders empty; it can never show
another visitor's. A form's `{% csrf_token %}` is kept as a placeholder and each request's own
token is put in its place. To show more in a part, add what it reads to its function here.

A list page whose content is a cached fragment (aiii/fragments.py) goes one step further:
`fragment_page` keeps the whole page, layout and content, under the fragment's identity and
what the layout shows of the viewer (address, language, email, roles), and serves it with the
request's token in place, without rendering a template (see its docstring).
"""

from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.safestring import mark_safe

from .memory import Memory
from .page_tokens import csrf_placeholder, with_token
from .permissions import pending_roles, user_roles

PART_MEMORY = 2048
PAGE_MEMORY = 256  # whole pages: a few tens of KB each
PAGE_MEMORY_CHARS = 16_000_000  # and never more than this much text in all


def _site_header(context):
    user = context.get("user")
    signed_in = bool(getattr(user, "is_authenticated", False))
    return {
        "navigation": context.get("navigation") or [],  # dicts of plain values (context_processors)
        "user": {"is_authenticated": signed_in, "email": user.email if signed_in else ""},
        "user_roles": sorted(context.get("user_roles") or ()),
        # The language switcher: its choices, and the page to come back to (none on a 404,
        # which never repeats an unknown address).
        "languages": list(context.get("languages") or ()),
        "switcher_next": _page_address(context.get("request")),
    }


def _page_address(request):
    if request is None or getattr(request, "resolver_match", None) is None:
        return ""
    return request.get_full_path()


def _site_footer(context):
    return {"contact_email": context.get("contact_email", "")}


PARTS = {"site-header": _site_header, "site-footer": _site_footer}


memory = Memory(PART_MEMORY)
pages = Memory(PAGE_MEMORY, max_chars=PAGE_MEMORY_CHARS)


def _frozen(value):
    """`value` as a hashable key; only plain data may be given to a part."""
    if isinstance(value, dict):
        return tuple(sorted((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, Promise):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"A remembered part may be given plain data only, not {type(value)}.")


def render_part(name, nodelist, context):
    """The HTML of the part `name` (its markup `nodelist`) for the page being rendered."""
    request = getattr(context, "request", None)
    if request is None:  # not a page for a request (no token to give): rendered as it is
        return nodelist.render(context)
    values = PARTS[name](context)
    match = getattr(request, "resolver_match", None)
    key = (
        name,
        translation.get_language(),
        getattr(match, "namespace", None),  # {% url %}'s current application
        _frozen(values),
    )
    html = None if settings.DEBUG else memory.get(key)
    if html is None:
        html = nodelist.render(context.new({**values, "csrf_token": csrf_placeholder()}))
        if not settings.DEBUG:
            memory.put(key, html)
    return with_token(request, html)


def fragment_page(request, template_name, content, values=None):
    """The response for a page `template_name` that shows `content`, a cached fragment
    (aiii.fragments.cached_fragment), in the layout and nothing else of its own but `values`:
    plain data (e.g. the page's title, {"title": "TEN/3 Watermarks"}) that is part of the key.

    Rendering the layout around a cached list (the template, the context processors, the
    header) was the larger part of such a page's time. The whole page depends only on the
    fragment's identity (its key and generations) and on what the layout shows of the request:
    its address, language and URL namespace, and the viewer's email, roles and pending roles
    (which make the navigation). Under those it is kept in this process's memory (the
    PAGE_MEMORY most recently used) and served with the request's token in place.

    The kept page is rendered from those values only (`page_values`, no request, no context
    processors): a page template that reads anything else of the viewer shows it empty rather
    than to the next viewer. A page with messages to show, a fragment rendered afresh (no
    identity: the cache is off or out) and DEBUG render as usual."""
    values = values or {}
    identity = getattr(content, "identity", None)
    if identity is None or settings.DEBUG or _has_messages(request):
        return render(request, template_name, {**values, "content": content})
    user = request.user
    key = (
        template_name,
        identity,
        _frozen(values),
        translation.get_language(),
        request.get_full_path(),
        getattr(getattr(request, "resolver_match", None), "namespace", None),
        user.email,
        user_roles(user),
        pending_roles(user),
    )
    html = pages.get(key)
    if html is None:
        context = {**values, **page_values(request), "content": mark_safe(content.raw)}
        html = render_to_string(template_name, context)
        pages.put(key, html)
    return HttpResponse(with_token(request, html))


def page_values(request):
    """All that a kept page's layout may show: the values of its parts, as the context
    processors would give them for `request`, with the placeholder for the token."""
    from .context_processors import portal

    context = {"user": request.user, "request": request, **portal(request)}
    values = {}
    for part in PARTS.values():
        values.update(part(context))
    return {**values, "messages": (), "csrf_token": csrf_placeholder()}


def _has_messages(request):
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def _forget(**kwargs):
    # A test changed a setting a part may depend on.
    memory.clear()
    pages.clear()


setting_changed.connect(_forget, dispatch_uid="aiii.layout.forget")
