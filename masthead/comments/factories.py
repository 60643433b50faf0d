import factory

from masthead.members.factories import MemberFactory

from .models import Comment, CommentStatus


class CommentFactory(factory.django.DjangoModelFactory):
    """A visible comment; pass ``article`` (an ``ArticlePage``)."""

    class Meta:
        model = Comment

    member = factory.SubFactory(MemberFactory)
    text = factory.Sequence(lambda n: f"Comment number {n}.")
    status = CommentStatus.VISIBLE
