"""users -> Provider; accounts -> Google subjects; scheduling_pages -> the provider's slug."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from chalicelib.domain.provider import DEFAULT_TIMEZONE, GOOGLE_SUBJECT, RESERVED_SLUGS, Provider
from importer import rules, values
from importer.convert.common import Context, old_id, read, refuse_missing_id, stamps
from importer.records import Origin, stamp
from importer.report import Reason, UserReport
from importer.rows import Row

DEFAULT_CURRENCY = "USD"  # what the old app's column default and README say a null currency means
MAX_EMAIL = 254


@dataclass(frozen=True)
class Owner:
    provider: Provider
    currency: str  # the old user's currency: every service and appointment is priced in it


def convert_user(row: Row, key: str, report: UserReport, context: Context) -> Owner | None:
    table = "users"
    read_values, problems = read(row, table, {"name": values.text, "email": values.text})
    times, changed = stamps(row, table, ("created_at", "updated_at"))
    zone = _defaulted(row, "timezone", DEFAULT_TIMEZONE, changed, problems)
    currency = _defaulted(row, "currency", DEFAULT_CURRENCY, changed, problems)
    email = (read_values.get("email") or "").strip() or None
    name = (read_values.get("name") or "").strip()
    if not name and not problems:
        # As the app names a provider whose token has no name (services.providers.get_or_create_me).
        name = (email or "").split("@")[0] or "Provider"
        message = "empty, so named after the email's local part, as a first sign-in names a provider"
        changed.append(Reason("name_defaulted", message, "name"))
    kept = _email_kept(email, problems)
    checked = rules.check(rules.PROVIDER, {"name": name, "timezone": zone}, table, {})
    if currency != currency.upper() and not problems:
        changed.append(Reason("normalised", "written in capitals", "currency", currency, currency.upper()))
    if problems or checked.refused:
        report.refuse(table, key, problems + checked.refused)
        report.refused_user = True
        return None
    report.accept(table, key, changed + checked.changed, kept)
    provider = Provider(
        id=context.new_id(table, key, times["created_at"]),
        email=email,
        name=checked.values["name"],
        timezone=checked.values["timezone"],
        created_at=stamp(times["created_at"]),
        updated_at=stamp(times["updated_at"] or times["created_at"]),
    )
    report.new_id = provider.id
    return Owner(provider, currency.upper())


def _defaulted(row: Row, column: str, default: str, changed: list[Reason], problems: list[Reason]) -> str:
    try:
        written = (values.text(row.get(column)) or "").strip()
    except values.Unreadable as error:
        problems.append(Reason(error.code, error.message, column))
        return default
    if not written:
        changed.append(Reason(f"{column}_defaulted", f"empty, so {default}", column, None, default))
        return default
    return written


def _email_kept(email: str | None, problems: list[Reason]) -> list[Reason]:
    if email is None:
        return []
    if len(email) > MAX_EMAIL:
        problems.append(Reason("email_too_long", f"is longer than {MAX_EMAIL} characters", "email"))
        return []
    problem = rules.email_problem(email)
    if problem is None:
        return []
    message = f"{problem}; kept, but notices to the provider cannot be delivered until it is corrected"
    return [Reason("email_invalid", message, "email")]


def google_subjects(rows: Iterable[Row], key: str, report: UserReport, context: Context) -> dict[str, str]:
    """The user's Google identities (``accounts.provider = 'google'``), subject -> old account id;
    other sign-ins are not carried."""
    table = "accounts"
    found: dict[str, str] = {}
    for row in rows:
        row_id = old_id(row)
        if row_id is None:
            refuse_missing_id(report, table)
            continue
        read_values, problems = read(row, table, {"provider": values.required_text})
        provider = str(read_values.get("provider", "")).strip().lower()
        if not problems and provider != "google":
            problems.append(Reason("not_google", "sign-in here is with Google only; not carried", "provider"))
        subject = "" if problems else _subject(row, key, context, problems)
        if problems:
            report.refuse(table, row_id, problems)
            continue
        context.subjects[subject] = key
        found.setdefault(subject, row_id)
        kept = (
            [Reason("several_google_accounts", "the user has more than one Google account")]
            if len(found) > 1
            else []
        )
        report.accept(table, row_id, [], kept)
    return found


def _subject(row: Row, key: str, context: Context, problems: list[Reason]) -> str:
    try:
        subject = (values.text(row.get("provider_account_id")) or "").strip()
    except values.Unreadable as error:
        problems.append(Reason(error.code, error.message, "provider_account_id"))
        return ""
    # The sign-in matches only what a token's Google identity can carry (domain GOOGLE_SUBJECT).
    if not GOOGLE_SUBJECT.fullmatch(subject):
        problems.append(Reason("bad_subject", "is not a Google subject", "provider_account_id"))
    elif context.subjects.get(subject, key) != key:
        other = context.subjects[subject]
        problems.append(
            Reason("subject_taken", f"the same Google account is user {other}'s", "provider_account_id")
        )
    return subject


def page_slug(
    rows: Iterable[Row], key: str, report: UserReport, context: Context, provider_id: str
) -> tuple[str | None, Origin | None]:
    """The scheduling page's slug, unless it cannot be ours; then the provider comes without one."""
    table = "scheduling_pages"
    slug: str | None = None
    origin: Origin | None = None
    for row in rows:
        row_id = old_id(row)
        if row_id is None:
            refuse_missing_id(report, table)
            continue
        read_values, problems = read(row, table, {"slug": values.required_text, "is_active": values.flag})
        if not problems:
            problems = _slug_problems(
                read_values["slug"], read_values["is_active"], key, context, provider_id
            )
        if slug is not None and not problems:
            problems = [Reason("second_page", "the user already has a scheduling page (one is kept)")]
        if problems:
            report.refuse(table, row_id, problems)
            continue
        slug, origin = read_values["slug"], Origin(table, row_id)
        context.slugs[slug] = key
        report.accept(table, row_id, [], [])
    return slug, origin


def _slug_problems(slug: str, active: bool, key: str, context: Context, provider_id: str) -> list[Reason]:
    shown = rules.value_of("scheduling_pages.slug", slug)
    if not active:
        return [Reason("page_inactive", "the page was switched off; its slug would publish it", "is_active")]
    checked = rules.check(rules.PROVIDER, {"slug": slug}, "scheduling_pages", {})
    if checked.refused:
        return checked.refused
    if checked.changed:  # normalised as the API would (``Ana_Studio`` -> ``ana-studio``): not a page address
        return [Reason("slug_pattern", f"would be {checked.values['slug']} here", "slug", shown)]
    if slug in RESERVED_SLUGS:
        return [Reason("slug_reserved", "is a path word of this service", "slug", shown)]
    if context.slugs.get(slug, key) != key:
        return [
            Reason("slug_taken", f"is already user {context.slugs[slug]}'s in this import", "slug", shown)
        ]
    if context.slug_taken(slug, provider_id):
        return [Reason("slug_taken", "is taken here; the provider is imported without a slug", "slug", shown)]
    return []
