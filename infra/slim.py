"""Leave out of the Lambda zip the distributions the Lambda Python runtime already has.

Pip brings botocore in as a dependency of pynamodb and aws-xray-sdk; it is ~21 MB unpacked, the
biggest part of the zip, and the python3.11 runtime ships it. Each distribution is removed by
its own ``*.dist-info/RECORD``, so nothing that belongs to another package goes with it.

Babel's CLDR data is one file per locale (``babel/locale-data/<locale>.dat``, ~1,100 of them, ~30 MB
unpacked): only the locales the emails are written in (``wording.LOCALES``) and those they inherit
from (``pt_PT`` from ``pt`` from ``root``) are kept.

Pillow's optional extension modules the photo never uses go too, with the libraries only they load
(about 3 MB zipped): AVIF (``_avif``, libavif), fonts (``_imagingft``, FreeType, HarfBuzz, libpng,
Brotli), colour management (``_imagingcms``, LittleCMS), Tk and ImageMath. Pillow imports each of
them only when asked, and its plugins treat a missing one as an unsupported format; the core
(``_imaging``: JPEG, PNG through zlib, TIFF, JPEG 2000) and ``_webp`` stay.
tests/unit/test_image_squares.py runs the photo's decoding with those modules unimportable.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

RUNTIME_PROVIDED = frozenset({"boto3", "botocore", "s3transfer"})
LOCALE_DATA = "babel/locale-data/"
PILLOW_UNUSED_MODULES = ("_avif", "_imagingft", "_imagingcms", "_imagingtk", "_imagingmath")
# The bundled libraries only those modules load (by their names before auditwheel's hash).
PILLOW_UNUSED_LIBRARIES = (
    "libavif",
    "libfreetype",
    "libharfbuzz",
    "libpng16",
    "libbrotlicommon",
    "libbrotlidec",
    "liblcms2",
)


def inherited(locale: str) -> set[str]:
    """``pt_PT`` -> ``{pt_PT, pt, root}``: the locale and every locale Babel merges into it (by
    Babel's own rule: its parent exception if it has one, else the identifier less its last part)."""
    from babel.core import get_global

    chain = {locale}
    while locale != "root":
        parts = locale.split("_")
        locale = get_global("parent_exceptions").get(locale) or (
            "root" if len(parts) == 1 else "_".join(parts[:-1])
        )
        chain.add(locale)
    return chain


def email_locales() -> frozenset[str]:
    from chalicelib.domain.notifications.wording import LOCALES

    return frozenset().union(*(inherited(locale) for locale in LOCALES.values()))


def unused_locale_data(names: list[str], kept: frozenset[str]) -> set[str]:
    """Babel's locale files of the archive that are none of ``kept``."""
    return {
        n
        for n in names
        if n.startswith(LOCALE_DATA) and n.endswith(".dat") and n[len(LOCALE_DATA) : -len(".dat")] not in kept
    }


def unused_pillow(names: list[str]) -> set[str]:
    """Pillow's extension modules and bundled libraries the photo never loads."""
    found: set[str] = set()
    for name in names:
        top, _, rest = name.partition("/")
        module = top == "PIL" and "/" not in rest and rest.split(".", 1)[0] in PILLOW_UNUSED_MODULES
        library = top == "pillow.libs" and rest.split("-", 1)[0].split(".", 1)[0] in PILLOW_UNUSED_LIBRARIES
        if module or library:
            found.add(name)
    return found


@dataclass(frozen=True)
class SlimResult:
    removed: tuple[str, ...]
    files_before: int
    files_after: int


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def distribution_of(dist_info_dir: str) -> str:
    """``python_dateutil-2.9.0.post0.dist-info`` -> ``python-dateutil``."""
    stem = dist_info_dir.removesuffix(".dist-info")
    return _normalise(stem.rsplit("-", 1)[0])


def _record_files(archive: zipfile.ZipFile, record: str) -> set[str]:
    text = archive.read(record).decode("utf-8")
    files = {row[0] for row in csv.reader(io.StringIO(text)) if row}
    return {name for name in files if not name.startswith("..")}


def files_to_remove(archive: zipfile.ZipFile, drop: frozenset[str]) -> tuple[set[str], list[str]]:
    removed_files: set[str] = set()
    removed_dists: list[str] = []
    for name in archive.namelist():
        parts = name.split("/")
        if len(parts) == 2 and parts[0].endswith(".dist-info") and parts[1] == "RECORD":
            dist = distribution_of(parts[0])
            if dist in drop:
                removed_dists.append(dist)
                removed_files |= _record_files(archive, name)
                removed_files |= {n for n in archive.namelist() if n.startswith(parts[0] + "/")}
    return removed_files, sorted(removed_dists)


def slim_zip(
    source: Path, dest: Path, drop: frozenset[str] = RUNTIME_PROVIDED, locales: frozenset[str] | None = None
) -> SlimResult:
    """``locales``: the Babel locales to keep (default: the emails', ``email_locales``)."""
    with zipfile.ZipFile(source) as archive:
        removed, dists = files_to_remove(archive, drop)
        removed |= unused_locale_data(archive.namelist(), email_locales() if locales is None else locales)
        removed |= unused_pillow(archive.namelist())
        entries = archive.infolist()
        kept_files = [e.filename for e in entries if not e.is_dir() and e.filename not in removed]
        tmp = dest.with_suffix(".tmp")
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as out:
            for entry in entries:
                if entry.is_dir():
                    if not any(name.startswith(entry.filename) for name in kept_files):
                        continue
                elif entry.filename in removed:
                    continue
                out.writestr(entry, archive.read(entry.filename), zipfile.ZIP_DEFLATED, 9)
        tmp.replace(dest)
    with zipfile.ZipFile(dest) as result:
        after = len(result.namelist())
    return SlimResult(removed=tuple(dists), files_before=len(entries), files_after=after)
