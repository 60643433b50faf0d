import factory

from masthead.core.factories import LibraryImageFactory

from .models import Author


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author {n}")
    slug = factory.Sequence(lambda n: f"author-{n}")
    job_title = "Reporter"
    bio = "Covers the news."
    avatar = factory.SubFactory(LibraryImageFactory)
