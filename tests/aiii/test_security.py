"""Security headers on every response, the HTTPS rules, `check --deploy`, and a refusal to start
without a secret key.

Settings are computed when the module is imported, so the production variants run in a fresh
Python process with the environment under test, and report back as JSON.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

PROJECT_DIR = Path(settings.BASE_DIR)

# --- headers ----------------------------------------------------------------------------------


def parse_csp(header):
    """{directive: [sources]}; the order of directives varies between processes."""
    policy = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            assert words[0] not in policy, f"directive {words[0]} given twice"
            policy[words[0]] = words[1:]
    return policy


def assert_security_headers(response):
    policy = parse_csp(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    for directive in ("script-src", "style-src", "default-src"):
        sources = policy.get(directive, [])
        assert "'unsafe-inline'" not in sources, directive
        assert "'unsafe-eval'" not in sources, directive
        assert "*" not in sources, directive
    assert "'self'" in policy["script-src"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Permissions-Policy"] == (
        "camera=(), microphone=(), geolocation=(), payment=()"
    )


def test_parse_csp_ignores_order():
    assert parse_csp("object-src 'none'; default-src 'self' data:") == {
        "object-src": ["'none'"],
        "default-src": ["'self'", "data:"],
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/", 200),
        ("/about/", 200),
        ("/robots.txt", 200),
        ("/accounts/login/", 200),
        ("/accounts/password/reset/", 200),
        ("/secretariat/audit/", 302),  # anonymous: to the login page
        ("/no-such-page/", 404),
    ],
)
def test_security_headers_for_visitors(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert_security_headers(response)


@pytest.mark.django_db
def test_security_headers_on_json_and_on_refusals(client, member_client):
    assert_security_headers(client.get("/healthz"))
    refused = member_client.get("/secretariat/audit/")
    assert refused.status_code == 403
    assert_security_headers(refused)
    assert_security_headers(member_client.get("/"))
    assert_security_headers(member_client.post("/robots.txt"))  # 405


@pytest.mark.django_db
def test_static_files_are_not_sniffed(client):
    response = client.get("/static/css/aiii.css")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_pages_carry_no_inline_script_or_style(client):
    page = client.get("/").content.decode()
    assert "<script>" not in page
    assert "style=" not in page
    assert "<style" not in page


# --- settings in a fresh process ----------------------------------------------------------------

SETTING_NAMES = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_NAME",
    "SESSION_COOKIE_DOMAIN",
    "CSRF_COOKIE_DOMAIN",
    # the scheme of links in emails (verification, password reset)
    "ACCOUNT_DEFAULT_HTTP_PROTOCOL",
]
PRINT_SETTINGS = (
    "import json; from django.conf import settings; "
    f"print(json.dumps({{n: getattr(settings, n) for n in {SETTING_NAMES!r}}}))"
)


def production_env(tmp_path, **overrides):
    """A production-like environment: no DEBUG, a long key, a host, a database URL."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AIII_", "DJANGO_", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="aiii.settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="aiii.example.org,testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        AIII_VAR_DIR=str(tmp_path / "var"),
        AIII_MANIFEST_STATIC="0",
        PYTHONPATH=str(PROJECT_DIR),
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_python(code, env):
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_in(env):
    result = run_python(PRINT_SETTINGS, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


PLAIN_HTTP = {
    "SECURE_SSL_REDIRECT": False,
    "SECURE_HSTS_SECONDS": 0,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
    "SECURE_HSTS_PRELOAD": False,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_NAME": "sessionid",
    "CSRF_COOKIE_NAME": "csrftoken",
    "SESSION_COOKIE_DOMAIN": None,
    "CSRF_COOKIE_DOMAIN": None,
    "ACCOUNT_DEFAULT_HTTP_PROTOCOL": "http",
}


@pytest.mark.parametrize("switch", ["OFF", "0"])
def test_other_spellings_of_off(tmp_path, switch):
    values = settings_in(production_env(tmp_path, AIII_HTTPS=switch))
    assert values == {"DEBUG": False, **PLAIN_HTTP}


def test_development_serves_plain_http(tmp_path):
    values = settings_in(production_env(tmp_path, DEBUG="1", SECRET_KEY=None))
    assert values == {"DEBUG": True, **PLAIN_HTTP}


REQUESTS = f"""
import json
import django
django.setup()
from django.conf import settings
from django.test import Client
values = {{n: getattr(settings, n) for n in {SETTING_NAMES!r}}}
client = Client()
plain = client.get("/about/")
secure = client.get("/accounts/login/", secure=True)
print(json.dumps({{
    "settings": values,
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "secure_status": secure.status_code,
    "hsts": secure.get("Strict-Transport-Security"),
    "cookies": {{
        name: {{"secure": bool(m["secure"]), "path": m["path"], "domain": m["domain"]}}
        for name, m in secure.cookies.items()
    }},
}}))
"""


def requests_in(env):
    result = run_python(REQUESTS, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_enforces_https(tmp_path):
    seen = requests_in(production_env(tmp_path))
    assert seen["settings"] == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "SESSION_COOKIE_DOMAIN": None,
        "CSRF_COOKIE_DOMAIN": None,
        "ACCOUNT_DEFAULT_HTTP_PROTOCOL": "https",
    }
    assert seen["plain_status"] == 301
    assert seen["plain_location"] == "https://testserver/about/"
    assert seen["secure_status"] == 200
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["cookies"]["__Host-csrftoken"] == {"secure": True, "path": "/", "domain": ""}


def test_aiii_https_off_answers_plain_http(tmp_path):
    seen = requests_in(production_env(tmp_path, AIII_HTTPS="off"))
    assert seen["settings"] == {"DEBUG": False, **PLAIN_HTTP}
    assert seen["plain_status"] == 200
    assert seen["hsts"] is None
    assert seen["cookies"]["csrftoken"]["secure"] is False


def test_check_deploy_is_clean_in_production(tmp_path):
    env = production_env(tmp_path, DATABASE_URL="postgres://aiii:secret@db.example.org:5432/aiii")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.parametrize("secret_key", [None, ""])
def test_production_refuses_to_start_without_a_secret_key(tmp_path, secret_key):
    env = production_env(tmp_path, SECRET_KEY=secret_key)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert (
        "SECRET_KEY is not set. Production (DEBUG off) refuses to start without it" in result.stderr
    )
    assert "System check identified" not in result.stdout
