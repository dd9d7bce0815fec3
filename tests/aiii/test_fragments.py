"""aiii.fragments: list pages served from the cache until the data they show changes.

The member directory, the applications queue and the secretariat's members list keep their
content in the cache. What matters: a change shows on the very next request (a new member, a
hidden email address, a suspension, a new area of expertise), the cached copy is the same for
everyone it is served to and never carries one viewer's details to another, and a Redis outage
neither serves an old copy nor keeps one in a single process's memory.
"""

import datetime
import re

import pytest
import redis
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aiii import fragments, layout, page_tokens
from members.models import MEMBERS_DATA, ExpertiseArea, Profile
from members.services.people import membership_suspend, profile_update
from tests.aiii.conftest import DOWN_REDIS_URL
from tests.members.factories import (
    DEMO_PASSWORD,
    ApplicationFactory,
    MemberProfileFactory,
    SecretariatProfileFactory,
)

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("members:directory")
QUEUE = reverse("secretariat:applications")
MEMBERS = reverse("secretariat:members")


def _main(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _names(response):
    return re.findall(r'<h2 class="directory-name"><a href="[^"]+">([^<]+)</a>', _main(response))


def _queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response, len(queries)


def test_the_directory_is_served_from_the_cache_and_changes_show_at_once(
    member_client, secretariat
):
    area = ExpertiseArea.objects.first()
    fay = MemberProfileFactory(full_name="Fay First", show_email=True)
    member_client.get("/robots.txt")  # the first request of a session records it

    first, rendered = _queries(member_client, DIRECTORY)
    again, cached = _queries(member_client, DIRECTORY)
    assert cached == 1 < rendered  # only the session (with its user) is read
    assert _main(again) == _main(first)
    assert "Fay First" in _names(first) and fay.user.email in _main(again)

    # A new member (a save), then her area of expertise (a many-to-many change).
    MemberProfileFactory(full_name="Gus Second")
    assert "Gus Second" in _names(member_client.get(DIRECTORY))
    fay.expertise.add(area)
    assert f"<li>{area.label}</li>" in _main(member_client.get(DIRECTORY))
    # Fay hides her email address, through the page's own service.
    profile_update(profile=fay, data={"show_email": False})
    assert fay.user.email not in _main(member_client.get(DIRECTORY))
    # Suspended: out of the directory on the next request.
    membership_suspend(profile=fay, by=secretariat, reason="Test.")
    assert "Fay First" not in _names(member_client.get(DIRECTORY))
    # An area renamed by the secretariat: the filter form and the cards say so.
    area.name = "Renamed area"
    area.save()
    assert "Renamed area" in _main(member_client.get(DIRECTORY))


def test_a_sign_in_does_not_renew_the_cached_lists(member_client):
    other = MemberProfileFactory().user
    member_client.get(DIRECTORY)
    assert _queries(member_client, DIRECTORY)[1] == 1
    # Signing in writes the account's last_login, which no list shows.
    Client().login(username=other.username, password=DEMO_PASSWORD)
    other.refresh_from_db()
    assert other.last_login is not None
    assert _queries(member_client, DIRECTORY)[1] == 1


def test_writes_that_send_no_signal_say_what_changed(member_client):
    MemberProfileFactory(full_name="Quinn Quiet")
    member_client.get(DIRECTORY)
    Profile.objects.filter(full_name="Quinn Quiet").update(full_name="Quinn Renamed")
    assert "Quinn Quiet" in _names(member_client.get(DIRECTORY))  # QuerySet.update: no signal
    fragments.changed(MEMBERS_DATA)
    assert "Quinn Renamed" in _names(member_client.get(DIRECTORY))


def test_a_change_renews_the_generation_again_when_it_commits(django_capture_on_commit_callbacks):
    # A page rendered by another process from the data as it was before the commit is stored
    # under the generation of the moment; the commit replaces it, so that copy is never served.
    key = fragments._generation_key(MEMBERS_DATA)
    with django_capture_on_commit_callbacks(execute=True):
        MemberProfileFactory()
        during = caches["default"].get(key)
    assert during is not None and caches["default"].get(key) != during


def test_what_the_query_string_asks_is_part_of_the_key(member_client, settings):
    settings.AIII_PAGE_SIZE = 2
    for name in ("Ann A", "Ben B", "Cat C"):
        MemberProfileFactory(full_name=name)
    member = member_client.get(DIRECTORY)
    names = _names(member_client.get(DIRECTORY))
    assert _names(member_client.get(DIRECTORY, {"page": 2})) != names
    assert _names(member_client.get(DIRECTORY, {"q": "Cat"})) == ["Cat C"]
    assert _names(member_client.get(DIRECTORY)) == names == _names(member)


def test_the_cached_queue_shows_each_viewer_their_own_time_zone(client):
    ApplicationFactory(
        full_name="Late Applicant",
        submitted_at=datetime.datetime(2026, 3, 3, 23, 30, tzinfo=datetime.UTC),
    )
    days = {}
    for zone in ("UTC", "Asia/Tokyo", "UTC"):
        viewer = SecretariatProfileFactory(time_zone=zone).user
        TOTP.activate(viewer, generate_totp_secret())
        browser = Client()
        browser.force_login(viewer)
        html = _main(browser.get(QUEUE))
        days.setdefault(zone, set()).add(re.search(r'<time datetime="([^"]+)"', html)[1])
    assert days == {"UTC": {"2026-03-03"}, "Asia/Tokyo": {"2026-03-04"}}


def test_the_cached_members_list_gives_each_viewer_a_working_export_token(secretariat):
    MemberProfileFactory(full_name="Exported Member")
    for round_ in range(2):  # rendered, then from the cache
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(secretariat)
        html = browser.get(MEMBERS).content.decode()
        export = re.search(r'<form method="post" action="[^"]*export[^"]*".*?</form>', html, re.S)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', export[0])[1]
        response = browser.post(
            reverse("secretariat:members_export"), {"csrfmiddlewaretoken": token}
        )
        assert response.status_code == 200, round_
        assert "Exported Member" in b"".join(response.streaming_content).decode()
    assert fragments.csrf_placeholder() not in html


def test_one_copy_serves_every_member_and_holds_nothing_of_whoever_rendered_it():
    first, second = (
        MemberProfileFactory(full_name=name, show_email=False).user
        for name in ("Rhea Renderer", "Vic Viewer")
    )
    browsers = []
    for user in (first, second):
        browser = Client()
        browser.force_login(user)
        browser.get("/robots.txt")  # the first request of a session records it
        browsers.append(browser)
    rendered = browsers[0].get(DIRECTORY)
    served, queries = _queries(browsers[1], DIRECTORY)
    assert queries == 1 and _main(served) == _main(rendered)
    # The page around it is the viewer's own; the copy names nobody's hidden address.
    assert f"Signed in as {second.email}" in served.content.decode()
    assert first.email not in served.content.decode()
    # What a fragment's template may read of the request: the question, not the asker.
    request = fragments._FragmentRequest(rendered.wsgi_request)
    assert not hasattr(request, "user") and not hasattr(request, "session")


def test_a_rendering_kept_in_memory_is_served_only_while_the_shared_cache_names_it(
    member_client,
):
    layout.pages.clear()
    MemberProfileFactory(full_name="Lena Local")
    member_client.get("/robots.txt")  # the first request of a session records it
    member_client.get(DIRECTORY)
    ((key, rendering),) = {page_key[1] for page_key in layout.pages.parts}
    assert "Lena Local" in fragments.local.get(rendering)
    # Another process, with nothing in its memory: the HTML comes from the shared cache.
    fragments.local.clear()
    layout.pages.clear()
    response, queries = _queries(member_client, DIRECTORY)
    assert queries == 1 and "Lena Local" in _names(response)
    # A change that no signal announced, then the shared entry expires: the copy in this
    # process's memory is not served any longer; the list is rendered from the data.
    Profile.objects.filter(full_name="Lena Local").update(full_name="Lena Later")
    assert "Lena Local" in _names(member_client.get(DIRECTORY))
    caches["default"].delete(key)
    response, queries = _queries(member_client, DIRECTORY)
    assert queries > 1 and "Lena Later" in _names(response)


def test_an_untracked_data_set_is_a_programming_error(rf, member):
    request = rf.get("/")
    request.user = member
    with pytest.raises(ValueError, match="Untracked"):
        fragments.cached_fragment(request, "x.html", datasets=["nothing"], context=dict, params=())


# --- with Redis down or frozen ------------------------------------------------------------------


def _redis_cache(url):
    return {
        "default": {
            "BACKEND": "aiii.cache.FailSoftRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "aiii-fragments-test",
            # Try Redis again at once after a failure, so each step of the test meets it.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, "retry_after": 0},
        }
    }


def test_with_redis_down_pages_are_rendered_and_nothing_is_kept_in_memory(member_client, settings):
    settings.CACHES = _redis_cache(DOWN_REDIS_URL)
    caches["default"].forget_outage()
    MemberProfileFactory(full_name="Olga Outage")
    for _ in range(2):
        response, queries = _queries(member_client, DIRECTORY)
        assert "Olga Outage" in _names(response) and queries > 1
    fallback = caches["default"]._fallback._cache
    assert not [key for key in fallback if "fragment" in key]


def test_a_change_made_while_redis_was_frozen_shows_once_it_answers(
    own_redis, member_client, secretariat, settings
):
    settings.CACHES = _redis_cache(own_redis["url"])
    caches["default"].forget_outage()
    fay = MemberProfileFactory(full_name="Fay Frozen")
    member_client.get(DIRECTORY)
    assert "Fay Frozen" in _names(member_client.get(DIRECTORY))  # now kept in Redis

    own_redis["freeze"]()
    try:
        membership_suspend(
            profile=fay, by=secretariat, reason="Test."
        )  # its news cannot reach Redis
        assert "Fay Frozen" not in _names(member_client.get(DIRECTORY))  # rendered afresh
    finally:
        own_redis["thaw"]()
    # Redis still holds the copy that lists her, under the generation it knew: the news that
    # did not reach it is sent first, so that copy is never served.
    assert "Fay Frozen" not in _names(member_client.get(DIRECTORY))
    assert not fragments._pending


def test_a_redis_that_refuses_writes_loses_no_change_and_breaks_no_page(
    own_redis, member_client, secretariat, settings
):
    settings.CACHES = _redis_cache(own_redis["url"])
    caches["default"].forget_outage()
    fay = MemberProfileFactory(full_name="Fay Full")
    member_client.get(DIRECTORY)
    # Out of memory, nothing to evict: every write is refused with an error, not a timeout.
    full = redis.Redis(unix_socket_path=own_redis["url"].removeprefix("unix://"))
    full.config_set("maxmemory-policy", "noeviction")
    full.config_set("maxmemory", "1")
    try:
        profile_update(profile=fay, data={"show_email": True})  # saves; no 500
        membership_suspend(profile=fay, by=secretariat, reason="Test.")
        fay.refresh_from_db()
        assert fay.status == Profile.Status.SUSPENDED
        response = member_client.get(DIRECTORY)
        assert response.status_code == 200
        assert "Fay Full" not in _names(response)
    finally:
        full.config_set("maxmemory", "0")


def test_made_up_query_parameters_are_answered_but_not_kept(member_client):
    member_client.get(DIRECTORY)
    assert _queries(member_client, DIRECTORY + "?view=list")[1] > 1
    assert _queries(member_client, DIRECTORY + "?view=list")[1] == 1  # known: kept
    for junk in ("x=1", "x=2"):
        assert _queries(member_client, f"{DIRECTORY}?{junk}")[1] > 1
    assert _queries(member_client, f"{DIRECTORY}?x=1")[1] > 1  # never kept
    # Known parameters, but given twice or ever longer: answered, not kept either.
    too_many = "&".join(["expertise=1"] * (fragments.MAX_KEPT_VALUES + 1))
    for query in (too_many, "q=" + "a" * (fragments.MAX_KEPT_PARAM + 1)):
        for _ in range(2):
            response, queries = _queries(member_client, f"{DIRECTORY}?{query}")
            assert queries > 1
    assert _queries(member_client, f"{DIRECTORY}?q=ann")[1] > 1
    assert _queries(member_client, f"{DIRECTORY}?q=ann")[1] == 1  # a short search is kept


def test_fragments_follow_the_setting(member_client, settings):
    settings.AIII_FRAGMENT_CACHE = False
    MemberProfileFactory(full_name="Una Uncached")
    member_client.get(DIRECTORY)
    assert _queries(member_client, DIRECTORY)[1] > 1
    assert django_settings.AIII_FRAGMENT_CACHE is False


def test_a_page_token_is_the_request_secret_under_a_new_mask_each_time(rf):
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token

    secret = "a" * 16 + "Z9" * 8
    tokens = {page_tokens.mask_secret(secret) for _ in range(50)}
    assert len(tokens) == 50
    for token in tokens:
        assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == secret
    # One per request, renewed when the secret changes (a sign-in rotates it).
    request = rf.get("/")
    request.META["CSRF_COOKIE"] = secret
    first = page_tokens.page_token(request)
    assert page_tokens.page_token(request) == first and request.META["CSRF_COOKIE_NEEDS_UPDATE"]
    request.META["CSRF_COOKIE"] = "b" * 32
    assert _unmask_cipher_token(page_tokens.page_token(request)) == "b" * 32


def test_a_personal_data_set_is_renewed_for_its_person_only(rf):
    from topics.models import READER_DATA

    computed = []

    def value_for(user):
        request = rf.get("/")
        request.user = user
        return fragments.cached_value(
            request,
            "test:personal",
            datasets=[(READER_DATA, user.pk)],
            compute=lambda: computed.append(user.pk) or len(computed),
            vary=(user.pk,),
        )

    ann, ben = (MemberProfileFactory().user for _ in range(2))
    assert (value_for(ann), value_for(ben), value_for(ann), value_for(ben)) == (1, 2, 1, 2)
    fragments.changed_for(READER_DATA, ann.pk)
    assert (value_for(ann), value_for(ben)) == (3, 2)  # Ann's anew; Ben's still kept
    with pytest.raises(ValueError, match="Untracked personal"):
        fragments.changed_for("no-such-set", ann.pk)


def test_a_change_of_every_data_set_renews_every_persons_own(rf):
    from topics.models import READER_DATA

    computed = []
    user = MemberProfileFactory().user
    request = rf.get("/")
    request.user = user

    def value():
        return fragments.cached_value(
            request,
            "test:everyone",
            datasets=[(READER_DATA, user.pk)],
            compute=lambda: computed.append(1) or len(computed),
            vary=(user.pk,),
        )

    assert (value(), value()) == (1, 1)
    fragments.changed()  # e.g. after seeding the demo data
    assert value() == 2


def test_only_the_html_of_the_rendering_the_stamp_names_is_served(member_client):
    layout.pages.clear()
    MemberProfileFactory(full_name="Stella Stamp")
    member_client.get("/robots.txt")  # the first request of a session records it
    member_client.get(DIRECTORY)
    ((key, rendering),) = {page_key[1] for page_key in layout.pages.parts}
    # Another process rendered the key again between this one's two reads: its HTML is under
    # the key, but the stamp this process read names the earlier rendering.
    caches["default"].set(key + fragments.HTML_SUFFIX, ("someone-else", "<p>Other HTML</p>"))
    fragments.local.clear()
    layout.pages.clear()
    response, queries = _queries(member_client, DIRECTORY)
    assert queries > 1 and "Other HTML" not in _main(response)
    assert "Stella Stamp" in _names(response)
