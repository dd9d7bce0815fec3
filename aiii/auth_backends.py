"""The sign-in backends, reading the signed-in user with their profile in one query.

Every signed-in page needs the profile (time zone, language, name in the header): loading it
with the user saves a round trip on each request. Behaviour is otherwise Django's and
allauth's own.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend


def _user_with_profile(backend, user_id):
    model = get_user_model()
    try:
        user = model._default_manager.select_related("profile").get(pk=user_id)
    except model.DoesNotExist:
        return None
    return user if backend.user_can_authenticate(user) else None


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        return _user_with_profile(self, user_id)


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id):
        return _user_with_profile(self, user_id)
