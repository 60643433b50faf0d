"""The XSS corpus (xss_payloads.txt) and its packing into a few objects.

Storing each payload in its own object would build hundreds of articles;
packing them into as few values as each field's length allows puts every
payload in every field with one object per chunk.
"""

from pathlib import Path

CORPUS = Path(__file__).with_name("xss_payloads.txt")

Limits = dict[str, int | None]


def payloads() -> list[str]:
    """Every payload of the corpus, in file order."""
    lines = CORPUS.read_text(encoding="utf-8").split("\n")
    return [line for line in lines if line and not line.startswith("#")]


def pack(items: list[str], limit: int | None) -> list[str]:
    """``items`` joined by spaces into as few strings of at most ``limit`` as fit.

    An item longer than ``limit`` is cut to it: still hostile, and what a
    form would have kept.
    """
    if limit is None:
        return [" ".join(items)]
    chunks: list[str] = []
    for item in items:
        item = item[:limit]
        if chunks and len(chunks[-1]) + 1 + len(item) <= limit:
            chunks[-1] += " " + item
        else:
            chunks.append(item)
    return chunks


def spread(
    fields: Limits, repeated: Limits, items: list[str]
) -> list[dict[str, list[str]]]:
    """Values for each object to write, so every item is in every field.

    Args:
        fields: fields holding one value per object, with their maximum
            length (None: unbounded); the tightest decides how many objects.
        repeated: fields an object may hold several of (body blocks, links):
            their values are shared out among those objects.
        items: the payloads.

    Returns:
        One dict per object: a list of one value for each of ``fields``
        (repeated when a field needs fewer), a list of any length for each
        of ``repeated``.
    """
    packed = {name: pack(items, limit) for name, limit in fields.items()}
    count = max((len(chunks) for chunks in packed.values()), default=1)
    objects = [
        {name: [chunks[n % len(chunks)]] for name, chunks in packed.items()}
        for n in range(count)
    ]
    for name, limit in repeated.items():
        chunks = pack(items, limit)
        for n, values in enumerate(objects):
            values[name] = chunks[n::count]
    return objects
