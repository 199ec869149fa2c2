"""Factories for core records, shared by every app's tests."""

import factory
from factory.django import DjangoModelFactory

from socialrx.core.models import Membership, Organisation, OrganisationType, Role, User

TEST_PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test organisation {n}")
    org_type = OrganisationType.GP_PRACTICE


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.example")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.REFERRER


def user_with_role(role: str, organisation: Organisation | None = None, **extra: object) -> User:
    membership = MembershipFactory(
        role=role, organisation=organisation or OrganisationFactory(), **extra
    )
    return membership.user
