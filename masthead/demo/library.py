"""The demo's images: in their own collection, found by title or drawn once."""

import hashlib
from collections.abc import Callable
from io import BytesIO

from django.core.files.images import ImageFile
from wagtail.models import Collection

from masthead.core.models import LibraryImage

from . import images
from .plan import DemoPlan
from .text import PUBLICATION_NAME

DEMO_COLLECTION = "Demo content"


class Library:
    """Demo images in their own collection, found by title or drawn once."""

    def __init__(self, plan: DemoPlan) -> None:
        self.plan = plan
        self.collection = self._collection()
        self.by_title: dict[str, LibraryImage] = {
            image.title: image
            for image in LibraryImage.objects.filter(collection=self.collection)
        }
        self.created = 0

    @staticmethod
    def _collection() -> Collection:
        root = Collection.get_first_root_node()
        existing = root.get_children().filter(name=DEMO_COLLECTION).first()
        return existing or root.add_child(name=DEMO_COLLECTION)

    def get(
        self, title: str, draw: Callable[[], images.GeneratedImage], credit: str
    ) -> LibraryImage:
        image = self.by_title.get(title)
        if image is None:
            drawn: images.GeneratedImage = draw()
            image = LibraryImage(
                title=drawn.title,
                description=drawn.description,
                credit=credit,
                collection=self.collection,
                file=ImageFile(BytesIO(drawn.data), name=drawn.filename),
                file_size=len(drawn.data),
                # Wagtail's duplicate detection compares SHA-1 digests.
                file_hash=hashlib.sha1(drawn.data, usedforsecurity=False).hexdigest(),
            )
            image.save()
            self.by_title[title] = image
            self.created += 1
        return image

    def hero(self, index: int) -> LibraryImage:
        scene = self.plan.scenes[index]
        return self.get(
            scene.title,
            lambda: images.render_landscape(scene),
            self.plan.credit(index),
        )

    def avatar(self, name: str, slug: str) -> LibraryImage:
        return self.get(
            f"Avatar: {name}",
            lambda: images.avatar(name, f"demo-avatar-{slug}.jpg"),
            PUBLICATION_NAME,
        )

    def logo(self) -> LibraryImage:
        return self.get(f"{PUBLICATION_NAME} logo", images.logo, PUBLICATION_NAME)

    def short_logo(self) -> LibraryImage:
        return self.get(
            f"{PUBLICATION_NAME} short logo", images.short_logo, PUBLICATION_NAME
        )
