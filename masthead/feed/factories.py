import factory
from django.utils import timezone

from .models import NewsFeedItem


class NewsFeedItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsFeedItem

    headline = factory.Sequence(lambda n: f"Feed item {n}")
    body = "<p>A short update.</p>"
    published_at = factory.LazyFunction(timezone.now)
