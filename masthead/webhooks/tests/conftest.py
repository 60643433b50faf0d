from .receiver import receiver  # noqa: F401  (the fixture)
