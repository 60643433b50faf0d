"""Landscapes: a ``Scene`` names and describes one; ``render_landscape`` draws it.

A scene is cheap to make and carries the title and the alt text, so a picture
is drawn only when the library lacks it.
"""

import itertools
import math
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageOps

from .canvas import WHITE, Color, GeneratedImage, gradient, jpeg, mix

LANDSCAPE_SIZE = (1600, 900)


@dataclass(frozen=True)
class Sky:
    top: Color
    bottom: Color
    light: Color | None  # sun or moon colour; None for an overcast sky
    light_height: float  # centre of the sun as a fraction of the height
    light_radius: int
    description: str
    light_description: str
    shade: float = 0.0  # how far the land darkens towards the sky's top colour


@dataclass(frozen=True)
class Terrain:
    far: Color
    near: Color
    roughness: float  # ridge height as a fraction of the picture height
    jaggedness: float  # 0 smooth hills, 1 sharp peaks
    description: str


SKIES = {
    "dawn": Sky(
        (34, 46, 92),
        (246, 176, 140),
        (255, 222, 170),
        0.55,
        64,
        "a pink dawn sky",
        "a pale sun rising near the horizon",
    ),
    "midday": Sky(
        (62, 122, 196),
        (198, 224, 244),
        (255, 251, 228),
        0.16,
        40,
        "a clear blue midday sky",
        "a small bright sun high up",
    ),
    "dusk": Sky(
        (58, 36, 92),
        (250, 140, 70),
        (255, 196, 120),
        0.5,
        84,
        "an orange and violet dusk sky",
        "a large sun setting behind the ridges",
        0.15,
    ),
    "night": Sky(
        (8, 14, 38),
        (38, 58, 96),
        (236, 236, 220),
        0.2,
        36,
        "a dark night sky scattered with stars",
        "a full moon",
        0.6,
    ),
    "overcast": Sky(
        (118, 126, 138),
        (206, 209, 212),
        None,
        0,
        0,
        "a grey overcast sky",
        "",
    ),
    "winter": Sky(
        (150, 180, 212),
        (236, 240, 246),
        (255, 255, 244),
        0.4,
        50,
        "a pale winter sky",
        "a low white sun",
    ),
}

TERRAINS = {
    "green hills": Terrain((128, 164, 128), (28, 70, 42), 0.08, 0.15, "green hills"),
    "blue mountains": Terrain(
        (136, 154, 194), (28, 38, 70), 0.2, 0.9, "blue mountains"
    ),
    "ochre steppe": Terrain(
        (214, 186, 128), (118, 78, 40), 0.04, 0.1, "gently rolling ochre steppe"
    ),
    "snowy hills": Terrain((224, 229, 238), (140, 152, 170), 0.1, 0.4, "snowy hills"),
    "forest ridges": Terrain(
        (84, 116, 104), (14, 36, 30), 0.12, 0.5, "dark forested ridges"
    ),
}

FEATURES = {
    "skyline": "a city skyline in silhouette",
    "lake": "a still lake reflecting the sky in the foreground",
    "trees": "a row of dark fir trees in the foreground",
    "fields": "striped fields in the foreground",
    "pylons": "a line of electricity pylons crossing the foreground",
    "none": "",
}

NUMBER_WORDS = {2: "two", 3: "three", 4: "four"}


@dataclass(frozen=True)
class Scene:
    """The recipe for one landscape: enough to title, describe and draw it."""

    number: int
    sky: str
    terrain: str
    layers: int
    feature: str
    sun_x: float
    seed: int

    @property
    def title(self) -> str:
        sky = self.sky.capitalize()
        return f"Demo landscape {self.number:02d}: {sky} over {self.terrain}"

    @property
    def description(self) -> str:
        sky, terrain = SKIES[self.sky], TERRAINS[self.terrain]
        parts = [
            f"Illustration of {sky.description} over "
            f"{NUMBER_WORDS[self.layers]} layers of {terrain.description}"
        ]
        details = [d for d in (sky.light_description, FEATURES[self.feature]) if d]
        if details:
            parts.append(", with " + " and ".join(details))
        return "".join(parts) + "."

    @property
    def filename(self) -> str:
        return f"demo-landscape-{self.number:02d}.jpg"


def landscape_scene(number: int, seed: int) -> Scene:
    """Choose a scene for picture ``number``; independent of other pictures.

    Skies and terrains cycle with co-prime periods (6 and 5), so thirty
    consecutive pictures never repeat a pairing.
    """
    skies, terrains = sorted(SKIES), sorted(TERRAINS)
    random.Random(f"{seed}:skies").shuffle(skies)
    random.Random(f"{seed}:terrains").shuffle(terrains)
    rng = random.Random(f"{seed}:landscape:{number}")
    return Scene(
        number=number,
        sky=skies[number % len(skies)],
        terrain=terrains[number % len(terrains)],
        layers=rng.randint(2, 4),
        feature=rng.choice(sorted(FEATURES)),
        sun_x=rng.uniform(0.15, 0.85),
        seed=rng.randrange(2**32),
    )


def _ridge(
    rng: random.Random, width: int, baseline: float, amplitude: float, jag: float
) -> list[tuple[float, float]]:
    waves = [
        (rng.uniform(0.5, 3.5), rng.uniform(0, math.tau), rng.uniform(0.3, 1.0))
        for _ in range(3)
    ]
    total = sum(weight for _, _, weight in waves)
    points: list[tuple[float, float]] = []
    roughness = 0.0
    for x in range(0, width + 16, 16):
        u = x / width
        smooth = sum(w * math.sin(f * math.tau * u + p) for f, p, w in waves) / total
        # A damped random walk: rocky edges without single-point spikes.
        roughness = 0.7 * roughness + rng.uniform(-1, 1) * 0.3
        y = baseline - amplitude * (smooth + 0.6 * jag * roughness)
        points.append((x, y))
    return points


def render_landscape(scene: Scene) -> GeneratedImage:
    """Draw ``scene`` as a 1600x900 JPEG."""
    rng = random.Random(scene.seed)
    width, height = LANDSCAPE_SIZE
    sky, terrain = SKIES[scene.sky], TERRAINS[scene.terrain]
    image = gradient(LANDSCAPE_SIZE, sky.top, sky.bottom)
    draw = ImageDraw.Draw(image)

    if scene.sky == "night":
        for _ in range(160):
            x, y = rng.randrange(width), rng.randrange(int(height * 0.6))
            size = rng.choice((1, 1, 2))
            draw.ellipse((x, y, x + size, y + size), fill=(230, 230, 240))
    if sky.light:
        _draw_light(image, sky, scene.sun_x)
        draw = ImageDraw.Draw(image)

    compressed = scene.feature in {"lake", "fields"}
    top, bottom = (0.5, 0.7) if compressed else (0.52, 0.86)

    def tint(color: Color) -> Color:
        return mix(color, sky.top, sky.shade)

    for index in range(scene.layers):
        t = index / (scene.layers - 1)
        color = mix(mix(terrain.far, terrain.near, t), sky.bottom, 0.35 * (1 - t))
        color = tint(color)
        baseline = height * (top + (bottom - top) * t)
        amplitude = height * terrain.roughness * (1.2 - 0.5 * t)
        if scene.feature == "skyline" and index == scene.layers - 1:
            _draw_skyline(draw, rng, baseline, scene.sky == "night", color)
            baseline = height * 0.92
            amplitude = height * 0.02
        points = _ridge(rng, width, baseline, amplitude, terrain.jaggedness)
        draw.polygon([*points, (width, height), (0, height)], fill=color)

    near = tint(terrain.near)
    if scene.feature == "lake":
        _draw_lake(image, draw, rng, sky)
    elif scene.feature == "fields":
        _draw_fields(draw, rng, near)
    elif scene.feature == "trees":
        _draw_trees(draw, rng, mix(near, (0, 0, 0), 0.5))
    elif scene.feature == "pylons":
        _draw_pylons(draw, rng, mix(near, (0, 0, 0), 0.7))

    return GeneratedImage(
        title=scene.title,
        description=scene.description,
        filename=scene.filename,
        data=jpeg(image),
    )


def _draw_light(image: Image.Image, sky: Sky, sun_x: float) -> None:
    width, height = image.size
    cx, cy = width * sun_x, height * sky.light_height
    r = sky.light_radius
    size = r * 8
    # A soft halo: the radial gradient, inverted and eased, used as a mask.
    mask = ImageOps.invert(Image.radial_gradient("L")).resize((size, size))
    mask = mask.point(lambda v: round(150 * (v / 255) ** 2.2))
    halo = Image.new("RGB", (size, size), sky.light)
    image.paste(halo, (round(cx - size / 2), round(cy - size / 2)), mask)
    ImageDraw.Draw(image).ellipse((cx - r, cy - r, cx + r, cy + r), fill=sky.light)


def _draw_skyline(
    draw: ImageDraw.ImageDraw,
    rng: random.Random,
    baseline: float,
    lit: bool,
    color: Color,
) -> None:
    width = LANDSCAPE_SIZE[0]
    body = mix(color, (0, 0, 0), 0.35)
    x = rng.randint(-30, 0)
    while x < width:
        w = rng.randint(28, 90)
        h = rng.randint(40, 240)
        top = baseline - h
        draw.rectangle((x, top, x + w, LANDSCAPE_SIZE[1]), fill=body)
        if rng.random() < 0.15:
            draw.line((x + w // 2, top, x + w // 2, top - rng.randint(20, 60)), body, 3)
        if lit:
            for wy in range(int(top) + 8, int(baseline), 18):
                for wx in range(x + 6, x + w - 8, 14):
                    if rng.random() < 0.3:
                        draw.rectangle((wx, wy, wx + 5, wy + 7), fill=(250, 214, 120))
        x += w + rng.randint(0, 12)


def _draw_lake(
    image: Image.Image, draw: ImageDraw.ImageDraw, rng: random.Random, sky: Sky
) -> None:
    width, height = image.size
    shore = int(height * 0.78)
    water = gradient(
        (width, height - shore),
        mix(sky.bottom, (0, 0, 0), 0.15),
        mix(sky.top, (0, 0, 0), 0.3),
    )
    image.paste(water, (0, shore))
    streak = mix(sky.bottom, WHITE, 0.35)
    for _ in range(40):
        y = rng.randint(shore + 4, height - 4)
        x = rng.randint(-100, width)
        draw.line((x, y, x + rng.randint(40, 260), y), fill=streak, width=2)


def _draw_fields(draw: ImageDraw.ImageDraw, rng: random.Random, near: Color) -> None:
    width, height = LANDSCAPE_SIZE
    horizon = height * 0.8
    vx, vy = rng.uniform(0.3, 0.7) * width, horizon - 220
    shades = (near, mix(near, (220, 200, 90), 0.45), mix(near, WHITE, 0.2))
    xs = list(range(-width, 2 * width + 1, 160))

    def at(x_bottom: float, y: float) -> tuple[float, float]:
        t = (y - vy) / (height - vy)
        return (vx + (x_bottom - vx) * t, y)

    for index, (left, right) in enumerate(itertools.pairwise(xs)):
        draw.polygon(
            [at(left, horizon), at(right, horizon), (right, height), (left, height)],
            fill=shades[index % len(shades)],
        )


def _draw_trees(draw: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    width, height = LANDSCAPE_SIZE
    x = rng.randint(-40, 0)
    while x < width + 40:
        tree_height = rng.randint(90, 230)
        half = tree_height * 0.22
        base = height - rng.randint(0, 24)
        draw.polygon(
            [(x, base - tree_height), (x + half, base), (x - half, base)], fill=color
        )
        x += rng.randint(22, 58)
    draw.rectangle((0, height - 24, width, height), fill=color)


def _draw_pylons(draw: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    width, height = LANDSCAPE_SIZE
    count = rng.randint(3, 4)
    tips = []
    for index in range(count):
        scale = 1 - index * 0.18
        x = width * (0.12 + index * 0.78 / (count - 1))
        base = height - 20 * scale
        tall = 330 * scale
        spread = 46 * scale
        top = base - tall
        draw.line((x - spread, base, x, top), fill=color, width=4)
        draw.line((x + spread, base, x, top), fill=color, width=4)
        arm = top + tall * 0.18
        draw.line((x - spread * 1.3, arm, x + spread * 1.3, arm), fill=color, width=4)
        for level in (0.4, 0.62, 0.82):
            y = top + tall * level
            half = spread * level
            draw.line((x - half, y, x + half, y), fill=color, width=2)
        tips.append(((x - spread * 1.3, arm), (x + spread * 1.3, arm)))
    for (left_a, right_a), (left_b, right_b) in itertools.pairwise(tips):
        for start, end in ((left_a, left_b), (right_a, right_b)):
            sag = 40
            points = [
                (
                    start[0] + (end[0] - start[0]) * (i / 20),
                    start[1]
                    + (end[1] - start[1]) * (i / 20)
                    + sag * 4 * (i / 20) * (1 - i / 20),
                )
                for i in range(21)
            ]
            draw.line(points, fill=color, width=2)
