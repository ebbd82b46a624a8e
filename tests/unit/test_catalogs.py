"""The message catalogs (chalicelib/i18n/<lang>.json): complete, consistent, and what the pages ask for.

Every language has every key English has, with the same {placeholders}; a message that depends on a
number has its plural forms as <key>.one, <key>.other, ... (only CLDR categories). Every key the
pages name (tr("..."), data-i18n="...") is in English, so nothing shows as a bare key.
"""

from __future__ import annotations

import json
import re

import pytest

from chalicelib import i18n, web

pytestmark = pytest.mark.unit

ENGLISH = i18n.messages(i18n.DEFAULT_LANGUAGE)
OTHERS = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT_LANGUAGE]
KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
# Keys in the pages' code: tr("key"...), data-i18n="key", data-i18n-label="key", and any other
# string literal in a catalog namespace (a key picked by a condition: tr(cond ? "a" : "b")).
NAMESPACES = sorted({key.split(".", 1)[0] for key in ENGLISH})
LITERAL = re.compile(r"""["'`]((?:""" + "|".join(NAMESPACES) + r""")\.[a-z0-9_.]+)["'`]""")
TEMPLATE = re.compile(r"tr\(`([a-z0-9_.]+)\.\$\{")


def plural_base(key: str) -> str | None:
    head, _, last = key.rpartition(".")
    return head if last in i18n.PLURAL_CATEGORIES and head else None


def english_form(key: str) -> str | None:
    """The English message a key of another catalog translates: itself, or a plural sibling's."""
    if key in ENGLISH:
        return ENGLISH[key]
    base = plural_base(key)
    if base and f"{base}.other" in ENGLISH:
        return ENGLISH[f"{base}.other"]
    return None


def test_english_keys_are_dotted_names_with_text() -> None:
    assert len(ENGLISH) > 100
    for key, message in ENGLISH.items():
        assert KEY.match(key), key
        assert isinstance(message, str) and message.strip(), key


@pytest.mark.parametrize("lang", OTHERS)
def test_every_catalog_has_every_english_key(lang: str) -> None:
    missing = sorted(set(ENGLISH) - set(i18n.messages(lang)))
    assert missing == [], f"{lang}.json lacks {missing}"


@pytest.mark.parametrize("lang", OTHERS)
def test_a_catalog_has_no_key_english_lacks_but_plural_forms(lang: str) -> None:
    extra = [k for k in i18n.messages(lang) if english_form(k) is None]
    assert extra == [], f"{lang}.json has keys English does not: {extra}"


@pytest.mark.parametrize("lang", OTHERS)
def test_every_message_has_the_placeholders_of_its_english_one(lang: str) -> None:
    wrong = {}
    for key, message in i18n.messages(lang).items():
        english = english_form(key)
        assert isinstance(message, str) and message.strip(), f"{lang}: {key} is empty"
        if english is not None and i18n.placeholders(message) != i18n.placeholders(english):
            wrong[key] = (sorted(i18n.placeholders(message)), sorted(i18n.placeholders(english)))
    assert wrong == {}, f"{lang}.json: placeholders differ from English (theirs, English's): {wrong}"


def test_plural_messages_always_have_an_other_form() -> None:
    for lang in i18n.LANGUAGES:
        for key in i18n.messages(lang):
            base = plural_base(key)
            if base:
                assert f"{base}.other" in i18n.messages(lang), f"{lang}: {key} without {base}.other"


def test_a_missing_key_falls_back_to_english() -> None:
    portuguese = i18n.catalog("pt")
    assert set(portuguese) == set(ENGLISH) | set(i18n.messages("pt"))
    assert portuguese["book.choose_service"] == i18n.messages("pt")["book.choose_service"]
    assert portuguese["book.choose_service"] != ENGLISH["book.choose_service"]
    merged = i18n.merged({"a.b": "A", "a.c": "C"}, {"a.b": "Á"})
    assert merged == {"a.b": "Á", "a.c": "C"}


def test_the_served_catalogs_are_the_merged_ones() -> None:
    for lang in i18n.LANGUAGES:
        served = web.asset(f"{lang}.json")
        assert served is not None, lang
        assert served.content_type.startswith("application/json")
        assert json.loads(served.body) == i18n.page_catalog(lang)
        public = web.asset(f"public-{lang}.json")
        assert public is not None, lang
        expected = {k: v for k, v in i18n.catalog(lang).items() if k.split(".")[0] in i18n.PUBLIC_NAMESPACES}
        assert json.loads(public.body) == expected
        assert not any(k.startswith(("dash.", "hours.", "profile.")) for k in json.loads(public.body))


def test_the_servers_own_messages_are_never_served() -> None:
    """The email.* namespace (Python's, for the emails) stays out of every catalog a browser gets."""
    for lang in i18n.LANGUAGES:
        for name in (f"{lang}.json", f"public-{lang}.json"):
            served = json.loads(web.assets()[name].body)
            assert not [k for k in served if k.split(".")[0] in i18n.SERVER_NAMESPACES], name
    assert set(i18n.page_catalog("en")) == {
        k for k in i18n.catalog("en") if k.split(".")[0] not in i18n.SERVER_NAMESPACES
    }


def public_sources() -> dict[str, str]:
    """The booking and manage pages and every module they load (the dashboard's stay out)."""
    imports = re.compile(r"""(?:from\s+|import\s*\(\s*)["']\./([\w.-]+)["']""")
    sources = {f"pages/{n}.html": (web.PAGES_DIR / f"{n}.html").read_text() for n in ("book", "manage")}
    todo = ["book.js", "manage.js"]
    while todo:
        name = todo.pop()
        if f"assets/{name}" not in sources:
            sources[f"assets/{name}"] = (web.ASSETS_DIR / name).read_text()
            todo.extend(imports.findall(sources[f"assets/{name}"]))
    return sources


def test_the_public_pages_only_name_keys_of_their_part_of_the_catalog() -> None:
    sources = public_sources()
    assert "assets/calendar.js" in sources and "assets/app.js" not in sources
    outside = {
        f"{name}: {key}"
        for name, text in sources.items()
        for key in LITERAL.findall(text) + [f"{p}.x" for p in TEMPLATE.findall(text)]
        if key.split(".")[0] not in i18n.PUBLIC_NAMESPACES
    }
    assert outside == set()


def page_sources() -> dict[str, str]:
    sources = {f"assets/{p.name}": p.read_text() for p in web.ASSETS_DIR.glob("*.js")}
    sources.update({f"pages/{p.name}": p.read_text() for p in web.PAGES_DIR.glob("*.html")})
    return sources


def test_every_key_the_pages_name_is_in_english() -> None:
    unknown = set()
    for name, text in page_sources().items():
        for key in LITERAL.findall(text):
            if key not in ENGLISH and f"{key}.other" not in ENGLISH:
                unknown.add(f"{name}: {key}")
    assert unknown == set()


def test_keys_built_from_a_value_exist_for_every_value() -> None:
    prefixes = {p for text in page_sources().values() for p in TEMPLATE.findall(text)}
    assert prefixes >= {"status", "manage.status", "unit"}
    for prefix in prefixes:
        assert any(k.startswith(f"{prefix}.") for k in ENGLISH), prefix
    statuses = ["pending", "confirmed", "declined", "cancelled", "completed", "no_show"]
    for prefix in ("status", "manage.status"):
        assert all(f"{prefix}.{s}" in ENGLISH for s in statuses), prefix
    assert all(f"unit.{u}" in ENGLISH for u in ("minutes", "hours", "days"))
