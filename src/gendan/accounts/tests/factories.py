from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.models import Group

from gendan.accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Faker("name", locale="zh_CN")
    password = factory.django.Password("correct horse battery")

    @factory.post_generation
    def roles(self, create: bool, roles: Any, **kwargs: Any) -> None:
        if create and roles:
            self.groups.set(Group.objects.filter(name__in=[str(role) for role in roles]))
