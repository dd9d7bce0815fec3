"""Factories that build what the tests need and nothing surprising.

Every user has a verified email address (allauth's EmailAddress) and the password
DEMO_PASSWORD unless told otherwise.
"""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from members.models import MembershipApplication, Profile, StakeholderGroup

DEMO_PASSWORD = "aiii-demo-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", DEMO_PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if not create:
            return
        obj.save()
        EmailAddress.objects.create(
            user=obj, email=obj.email, verified=extracted is not False, primary=True
        )

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.add(*[Group.objects.get_or_create(name=name)[0] for name in extracted])


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    full_name = factory.Sequence(lambda n: f"Expert Number {n}")
    organisation = factory.Sequence(lambda n: f"Organisation {n}")
    stakeholder_group = StakeholderGroup.ACADEMIA
    country = "CH"
    status = Profile.Status.NONE


class MemberProfileFactory(ProfileFactory):
    """An approved, active member of the Technical Exchange Network."""

    user = factory.SubFactory(UserFactory, groups=["member"])
    status = Profile.Status.ACTIVE
    member_since = factory.LazyFunction(timezone.now)


class SecretariatProfileFactory(ProfileFactory):
    user = factory.SubFactory(UserFactory, groups=["secretariat"])
    organisation = "AIII Secretariat"


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A verified application awaiting a decision (status PENDING)."""

    class Meta:
        model = MembershipApplication
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    status = MembershipApplication.Status.PENDING
    full_name = factory.Sequence(lambda n: f"Applicant Number {n}")
    email = factory.SelfAttribute("user.email")
    organisation = factory.Sequence(lambda n: f"Applicant Organisation {n}")
    stakeholder_group = StakeholderGroup.CREATOR
    country = "FR"
    statement = "I work on provenance metadata for images."
    declaration_of_interests = "None."
    accepted_code_of_conduct_at = factory.LazyFunction(timezone.now)
    accepted_confidentiality_at = factory.LazyFunction(timezone.now)
    submitted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def profile(obj, create, extracted, **kwargs):
        if create and not hasattr(obj.user, "profile"):
            Profile.objects.create(
                user=obj.user,
                full_name=obj.full_name,
                organisation=obj.organisation,
                stakeholder_group=obj.stakeholder_group,
                country=obj.country,
                status=Profile.Status.APPLICANT,
            )
