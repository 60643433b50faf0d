"""Peak memory and time of making a large original's renditions (#13).

Each measurement runs in a fresh process on a throw-away site in a temporary
directory: the original is stored once (through the media storage, without
the upload form's limits, so an 11000x11000 PNG can be measured too), then
a child process makes its renditions and reports the growth of its peak
resident set (``VmHWM``, reset first) over what it held before, and the
time taken.

- ``wagtail``: Wagtail's own ``get_renditions`` for the article hero's six
  ``<picture>`` renditions (three threads, each decoding the whole original
  and copying it once more to turn it upright);
- ``hero``: the same six through ``core.renditions.make``;
- ``task``: what the task makes at upload, every site and admin rendition.

    .venv/bin/python bench/rendition_memory.py
    .venv/bin/python bench/rendition_memory.py --only jpeg-61mp
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERO = ("format-{webp,jpeg} width-{480,800,1200}",)
# name: (format, width, height)
ORIGINALS = {
    "jpeg-1.4mp": ("JPEG", 1600, 900),
    "jpeg-4mp": ("JPEG", 2448, 1632),
    "jpeg-12mp": ("JPEG", 4000, 3000),
    "jpeg-61mp": ("JPEG", 9504, 6336),
    "png-61mp": ("PNG", 9504, 6336),
    "png-121mp": ("PNG", 11000, 11000),
}


def draw(fmt: str, width: int, height: int) -> bytes:
    """A photo-like picture: smooth light with grain, so it compresses as photos do."""
    from PIL import Image

    small = Image.effect_noise((width // 16, height // 16), 40).convert("RGB")
    picture = small.resize((width, height), Image.Resampling.BICUBIC)
    out = io.BytesIO()
    picture.save(out, fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    return out.getvalue()


def setup(var_dir: Path) -> None:
    os.environ["MASTHEAD_VAR_DIR"] = str(var_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{var_dir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "masthead.settings.dev"
    # Renditions only: nothing queued or purged beyond this process.
    os.environ["MASTHEAD_PAGE_CACHE"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def store(names: list[str]) -> dict[str, int]:
    """Migrate the throw-away site and store these originals; their ids."""
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from wagtail.models import Collection

    from masthead.core.models import LibraryImage

    call_command("migrate", verbosity=0)
    ids = {}
    for name in names:
        fmt, width, height = ORIGINALS[name]
        data = draw(fmt, width, height)
        image = LibraryImage(
            title=name,
            description=name,
            credit="bench",
            collection=Collection.get_first_root_node(),
        )
        image.file.save(f"{name}.{fmt.lower()}", ContentFile(data), save=False)
        image.width, image.height = width, height
        # Saved without the signals' task: each child makes its own.
        LibraryImage.objects.bulk_create([image])
        ids[name] = LibraryImage.objects.get(title=name).pk
    return ids


def status_mb(field: str) -> float:
    """A size from /proc/self/status (``VmRSS``, ``VmHWM``), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


def measure(image_id: int, how: str) -> dict[str, float]:
    """Run in the child: make the renditions ``how`` says; growth and time."""
    from wagtail.images.models import AbstractImage, Filter

    from masthead.core import renditions
    from masthead.core.models import LibraryImage

    image = LibraryImage.objects.get(pk=image_id)
    specs = [spec for tag in HERO for spec in Filter.expand_spec(tag)]
    # The peak so far is reset to what is held now (proc(5), clear_refs):
    # ru_maxrss would start at the parent's, inherited across fork and exec.
    Path("/proc/self/clear_refs").write_text("5")
    before = status_mb("VmRSS")
    start = time.perf_counter()
    if how == "wagtail":
        AbstractImage.create_renditions(image, *[Filter(spec) for spec in specs])
    elif how == "hero":
        renditions.make(image, [Filter(spec) for spec in specs])
    else:
        renditions.make_all(image)
    elapsed = time.perf_counter() - start
    peak = status_mb("VmHWM")
    return {
        "base_mb": before,
        "peak_mb": peak,
        "growth_mb": peak - before,
        "seconds": elapsed,
        "made": image.renditions.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(ORIGINALS))
    parser.add_argument("--child", nargs=3, metavar=("VAR", "ID", "HOW"))
    args = parser.parse_args()
    if args.child:
        var_dir, image_id, how = args.child
        setup(Path(var_dir))
        sys.stdout.write(json.dumps(measure(int(image_id), how)) + "\n")
        return
    with tempfile.TemporaryDirectory(prefix="masthead-bench-") as tmp:
        var_dir = Path(tmp)
        setup(var_dir)
        ids = store([args.only] if args.only else list(ORIGINALS))
        sys.stdout.write(
            f"{'original':<10} {'how':<8} {'base MB':>8} {'peak MB':>8} "
            f"{'growth MB':>9} {'seconds':>7} renditions\n"
        )
        for name, image_id in ids.items():
            for how in ("wagtail", "hero", "task"):
                # Each from nothing: the child's renditions are deleted after.
                child = subprocess.run(  # noqa: S603 - this script, our arguments
                    [sys.executable, __file__, "--child", tmp, str(image_id), how],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                row = json.loads(child.stdout.strip().splitlines()[-1])
                sys.stdout.write(
                    f"{name:<10} {how:<8} {row['base_mb']:8.0f} "
                    f"{row['peak_mb']:8.0f} {row['growth_mb']:9.0f} "
                    f"{row['seconds']:7.2f} {row['made']:.0f}\n"
                )
                from masthead.core.models import LibraryRendition

                LibraryRendition.objects.filter(image_id=image_id).delete()


if __name__ == "__main__":
    main()
