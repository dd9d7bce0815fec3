"""Slots: the few marks of a cached topics page that differ from one member to the next.

A thread page or a topic page is the same for everyone of a role (aiii/fragments.py keeps it in
the cache) except for a few marks: which posts are new to the reader, which are the reader's
own (edit them; flag the others), whether the reader watches the topic or thread, how many posts
of each thread the reader has not read, the reply form's one-time key. The templates leave a
slot for each; the cached page carries the slots, and each request fills them for its own
reader (`fill`). So a member's state is never in the cache, and never shown to another member.

Two kinds of slot, both written by the template tags in templatetags/topics_slots.py:

- a choice, `{% slot_if "own" post.author_id %}A{% slot_else %}B{% endslot_if %}`: the page
  keeps both A and B, and the request's `choose("own", author_id)` picks one;
- a value, `{% slot "unread" thread.pk thread.post_count %}`: the request's `put(...)` gives
  its HTML.

A slot's arguments are whole numbers, and slots do not nest. A slot starts with a mark derived from SECRET_KEY, which
no member's text can contain (as aiii.fragments' CSRF placeholder), so a post can never open a
slot of its own; its characters pass through HTML escaping unchanged, so a slot can stand in
an attribute (the reply form's key).
"""

import functools
import hmac
import re
from collections.abc import Callable

from django.conf import settings


@functools.cache
def _mark():
    return hmac.new(settings.SECRET_KEY.encode(), b"topics.slots", "sha256").hexdigest()[:24]


def _args(numbers):
    return "-".join(str(int(number)) for number in numbers)


def value(kind: str, *numbers: int) -> str:
    """A value slot: `put(kind, *numbers)` says what stands there."""
    return f"{_mark()}={kind}={_args(numbers)}="


def choice(kind: str, numbers, yes: str, no: str) -> str:
    """A choice slot: `yes` where `choose(kind, *numbers)` is true, else `no`."""
    mark = _mark()
    return f"{mark}?{kind}={_args(numbers)}={yes}{mark}:{no}{mark};"


def numbers_of(html: str, kind: str) -> list[tuple[int, ...]]:
    """The numbers of the value slots `kind` in `html`, in order (what a page must look up
    before it fills them)."""
    found = re.findall(rf"{_mark()}={re.escape(kind)}=([0-9-]*)=", html)
    return [_parse(numbers) for numbers in found]


def _parse(numbers):
    return tuple(map(int, numbers.split("-"))) if numbers else ()


def fill(
    html: str,
    *,
    choose: Callable[..., bool] | None = None,
    put: Callable[..., str] | None = None,
) -> str:
    """`html` with every slot filled for this request. A slot the page has no answer for is a
    mistake in its template: it fails loudly rather than showing a mark."""
    parts = html.split(_mark())
    out = [parts[0]]
    at = 1
    while at < len(parts):
        part = parts[at]
        if part.startswith("="):  # =kind=numbers=, then the page goes on
            _empty, kind, numbers, rest = part.split("=", 3)
            if put is None:
                raise ValueError(f"No value for the slot {kind!r}.")
            out += [str(put(kind, *_parse(numbers))), rest]
            at += 1
        else:  # ?kind=numbers=yes, then :no, then ; and the page goes on
            kind, numbers, yes = part[1:].split("=", 2)
            if choose is None:
                raise ValueError(f"No choice for the slot {kind!r}.")
            no, rest = parts[at + 1][1:], parts[at + 2][1:]
            out += [yes if choose(kind, *_parse(numbers)) else no, rest]
            at += 3
    return "".join(out)


def fill_response(response, **answers):
    """The response's HTML with its slots filled (see `fill`)."""
    response.content = fill(response.content.decode(response.charset), **answers)
    return response
