"""The demo's landscapes described in Ukrainian, for the Ukrainian edition (#15).

The library's alt text (``Scene.description``) is English, shared by both
editions; the Ukrainian translations of the demo's stories give their
pictures their own alt text, made here from the same recipe, so it always
describes the picture drawn.
"""

from .images.landscapes import Scene

# Sky: (the sky, in the nominative; its sun or moon, in the instrumental).
SKIES = {
    "dawn": ("рожеве світанкове небо", "блідим сонцем над самим обрієм"),
    "midday": ("ясне блакитне полуденне небо", "маленьким яскравим сонцем угорі"),
    "dusk": ("помаранчево-фіолетове вечірнє небо", "великим сонцем, що сідає"),
    "night": ("темне зоряне небо", "повним місяцем"),
    "overcast": ("сіре похмуре небо", ""),
    "winter": ("бліде зимове небо", "низьким білим сонцем"),
}

# Terrain: (what its layers are called, instrumental plural; the land, genitive).
TERRAINS = {
    "green hills": ("рядами", "зелених пагорбів"),
    "blue mountains": ("рядами", "синіх гір"),
    "ochre steppe": ("хвилями", "пологого вохристого степу"),
    "snowy hills": ("рядами", "засніжених пагорбів"),
    "forest ridges": ("рядами", "темних лісистих хребтів"),
}

# The foreground, in the instrumental (after "з").
FEATURES = {
    "skyline": "темними обрисами міських будинків",
    "lake": "тихим озером на передньому плані, у якому відбивається небо",
    "trees": "рядом темних ялин на передньому плані",
    "fields": "різнобарвними смугами полів на передньому плані",
    "pylons": "рядом опор лінії електропередачі на передньому плані",
    "none": "",
}

VOWELS = frozenset("аеєиіїоуюя")

# "над двома / трьома / чотирма рядами".
LAYERS = {2: "двома", 3: "трьома", 4: "чотирма"}


def describe(scene: Scene) -> str:
    """The scene's alt text in Ukrainian: what the picture shows."""
    sky, light = SKIES[scene.sky]
    rows, land = TERRAINS[scene.terrain]
    text = f"Ілюстрація: {sky} над {LAYERS[scene.layers]} {rows} {land}"
    details = [detail for detail in (light, FEATURES[scene.feature]) if detail]
    if details:
        # A clause ("що сідає") is closed by a comma before the next
        # detail; after a vowel "і" is "й" ("угорі й рядом").
        if "," in details[0]:
            joiner = ", і "
        else:
            joiner = " й " if details[0][-1] in VOWELS else " і "
        text += ", з " + joiner.join(details)
    return text + "."
