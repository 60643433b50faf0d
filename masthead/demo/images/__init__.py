"""Pictures for the demo, drawn with Pillow: landscapes, avatars and logos.

Nothing is downloaded. ``landscapes`` draws the hero pictures from a ``Scene``;
``lettering`` the avatars and logos; ``canvas`` holds what both share.
"""

from .canvas import GeneratedImage
from .landscapes import Scene, landscape_scene, render_landscape
from .lettering import avatar, initials, logo, short_logo

__all__ = [
    "GeneratedImage",
    "Scene",
    "avatar",
    "initials",
    "landscape_scene",
    "logo",
    "render_landscape",
    "short_logo",
]
