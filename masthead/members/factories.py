import factory

from .models import Member, MemberLabel


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    language = "en"
    source = "/account/sign-in/"


class MemberLabelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberLabel

    name = factory.Sequence(lambda n: f"Label {n}")
