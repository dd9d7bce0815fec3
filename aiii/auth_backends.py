"""The sign-in backends, reading the signed-in user with their profile, roles and second-factor
flag in one fixed SQL statement, usually the same one that reads the session.

Every signed-in request reads the user, and every page then needs the profile (time zone,
language, name in the header), the roles (access rules, navigation) and, for the secretariat,
whether a second factor exists. Through the ORM that was three queries after the session's, and
about 2 ms of Python building and compiling them on each request, more than the database took to
answer. Now the session store reads the session row joined to its account (aiii/sessions.py,
aiii.models.Session.user) and `get_user` takes the user from there; without such a read (a
session saved before the account column existed, a call outside a request) it is one statement
of its own. Both are written once from the models' metadata (aiii/rawsql.py) and always read
from the database: a suspension, a removed role or a new password counts from the next request,
with no cache to invalidate. Behaviour is otherwise Django's and allauth's own.
"""

import contextlib
import contextvars
import functools

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connections, router

from .permissions import ROLE_GROUPS, remember_request_facts
from .rawsql import ModelColumns, fetch_one

# The session store of the request whose user is being read (AuthenticationMiddleware).
_session_in_use = contextvars.ContextVar("aiii_session_in_use", default=None)


class UserColumns:
    """The signed-in user in a SELECT: the account (table alias `u`), its profile (`p`, LEFT
    JOIN), the names of its groups and whether it has an authenticator; and back to a user
    whose `profile`, roles and second-factor flag are there without a query."""

    def __init__(self, alias):
        connection = connections[alias]
        quote = connection.ops.quote_name
        user_model = get_user_model()
        self.profile_relation = user_model._meta.get_field("profile")
        profile_model = self.profile_relation.related_model
        self.user = ModelColumns(user_model, "u", connection)
        self.profile = ModelColumns(profile_model, "p", connection)
        self.user_pk = f"u.{quote(user_model._meta.pk.column)}"
        self.user_table = quote(user_model._meta.db_table)
        memberships = user_model.groups.through._meta
        groups = Group._meta
        # The role names as one value: one subquery, however many roles there are (a subquery
        # per role made PostgreSQL spend more time planning the statement than running it).
        role_names = (
            f"SELECT g.{quote(groups.get_field('name').column)} "
            f"FROM {quote(memberships.db_table)} ug INNER JOIN {quote(groups.db_table)} g "
            f"ON g.{quote(groups.pk.column)} = ug.{quote(memberships.get_field('group').column)} "
            f"WHERE ug.{quote(memberships.get_field('user').column)} = {self.user_pk}"
        )
        if connection.vendor == "postgresql":
            roles = f"ARRAY({role_names})"
            self.split_roles = list
        else:  # SQLite (the embedded default): one string; group names hold no line break
            roles = f"(SELECT group_concat(name, char(10)) FROM ({role_names}))"
            self.split_roles = lambda value: (value or "").split("\n")
        authenticators = Authenticator._meta
        mfa = (
            f"EXISTS (SELECT 1 FROM {quote(authenticators.db_table)} a "
            f"WHERE a.{quote(authenticators.get_field('user').column)} = {self.user_pk})"
        )
        self.select = f"{self.user.select}, {self.profile.select}, {roles}, {mfa}"
        self.width = len(self.user.fields) + len(self.profile.fields) + 2
        self.joins = (
            f"LEFT OUTER JOIN {quote(profile_model._meta.db_table)} p "
            f"ON p.{quote(self.profile_relation.field.column)} = {self.user_pk}"
        )

    def read(self, db, values):
        """The user in `values` (this object's columns, in order), or None when there is none."""
        user_end = len(self.user.fields)
        profile_end = user_end + len(self.profile.fields)
        user = self.user.instance(db, values[:user_end])
        if user is None:
            return None
        profile = self.profile.instance(db, values[user_end:profile_end])
        # As select_related("profile") leaves them: user.profile without a query (None: the
        # account has no profile, and user.profile raises as usual), and profile.user.
        self.profile_relation.set_cached_value(user, profile)
        if profile is not None:
            self.profile_relation.field.set_cached_value(profile, user)
        role_names, has_mfa = values[profile_end:]
        remember_request_facts(
            user,
            roles=frozenset(self.split_roles(role_names)) & frozenset(ROLE_GROUPS),
            has_mfa=bool(has_mfa),
        )
        return user


@functools.cache
def user_columns(alias):
    return UserColumns(alias)


@functools.cache
def _user_sql(alias):
    columns = user_columns(alias)
    return f"SELECT {columns.select} FROM {columns.user_table} u {columns.joins} WHERE {columns.user_pk} = %s"


@contextlib.contextmanager
def reading_session(session):
    """While Django reads the signed-in user: the request's session store, whose own read may
    already hold the user (aiii.middleware.AuthenticationMiddleware)."""
    token = _session_in_use.set(session)
    try:
        yield
    finally:
        _session_in_use.reset(token)


_NOT_READ = object()


def _read_with_session(user_id):
    session = _session_in_use.get()
    signed_in = getattr(session, "signed_in", None)
    if signed_in is None:
        return _NOT_READ
    session.signed_in = None  # once: a later read in the same request goes to the database
    account_id, user = signed_in
    return user if account_id is not None and account_id == user_id else _NOT_READ


def _user_with_profile(backend, user_id):
    model = get_user_model()
    try:
        user_id = model._meta.pk.to_python(user_id)
    except ValidationError:  # not an id at all: nobody
        return None
    user = _read_with_session(user_id)
    if user is _NOT_READ:
        alias = router.db_for_read(model)
        row = fetch_one(alias, _user_sql(alias), [user_id])
        user = user_columns(alias).read(alias, row) if row is not None else None
    return user if user is not None and backend.user_can_authenticate(user) else None


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        return _user_with_profile(self, user_id)


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id):
        return _user_with_profile(self, user_id)
