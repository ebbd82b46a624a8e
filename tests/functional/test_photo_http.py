"""The provider's photo over HTTP on the local stage: ask, send, confirm, serve, replace, delete,
and every hostile file refused with a clear error and nothing kept."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from chalicelib.domain.photo import MAX_PHOTO_BYTES
from tests.api import Api, Reply
from tests.photo_files import picture, png_claiming, truncated

pytestmark = pytest.mark.functional

IMAGE_ACCEPT = {"Accept": "image/avif,image/webp,image/*,*/*;q=0.8"}


def ask(api: Api, content_type: str = "image/jpeg") -> dict[str, Any]:
    reply = api.post("/me/photo", {"content_type": content_type})
    assert reply.status == 200, reply
    answer: dict[str, Any] = reply.json
    return answer


def send(http: Any, target: dict[str, Any], data: bytes, content_type: str | None = None) -> Reply:
    """What the browser does with a local target: PUT the bytes, no token."""
    headers = dict(target["headers"])
    if content_type is not None:
        headers["Content-Type"] = content_type
    return Reply(http.request(target["method"], target["url"], headers=headers, body=data))


def upload(http: Any, api: Api, data: bytes, content_type: str = "image/jpeg") -> Reply:
    """Ask, send and confirm; the confirmation's reply."""
    target = ask(api, content_type)
    assert send(http, target, data).status == 204
    return api.put("/me/photo", {"upload_id": target["upload_id"]})


def fetch(http: Any, path: str) -> Any:
    return http.get(path, headers=IMAGE_ACCEPT)


def photo_files(root: Path, version: str) -> list[str]:
    """The stored squares of one photo version (a photo path's or an upload's id)."""
    version = version.rsplit("/", 1)[-1].split("-")[0]
    return sorted(p.name for p in (root / "photos" / "photos").glob(f"{version}-*.webp"))


def uploads_left(root: Path, provider_id: str) -> list[str]:
    folder = root / "photos" / "uploads" / provider_id
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def var_dir(local_env: dict[str, str]) -> Path:
    return Path(local_env["VAR_DIR"])


def test_the_target_is_a_local_put_limited_to_one_type_and_five_megabytes(http: Any) -> None:
    api = Api(http)
    target = ask(api, "image/png")
    assert target["method"] == "PUT" and target["fields"] == {}
    assert target["headers"] == {"Content-Type": "image/png"}
    assert target["max_bytes"] == MAX_PHOTO_BYTES and target["content_type"] == "image/png"
    path = urlsplit(target["url"])
    assert path.path == f"/photo-uploads/{api.id}/{target['upload_id']}"
    assert parse_qs(path.query)["ticket"]
    assert target["expires_at"].endswith("Z")


def test_an_upload_becomes_the_photo_served_in_two_sizes_from_the_app(http: Any, var_dir: Path) -> None:
    api = Api(http)
    slug = api.bookable()["slug"]
    reply = upload(http, api, picture("JPEG", size=(900, 600), exif=True))
    assert reply.status == 200, reply
    photo = reply.json["photo"]
    assert photo.startswith("/photos/") and photo.endswith("-256.webp")
    assert api.id not in photo  # the public address names no provider id
    assert api.get("/me").json["photo"] == photo
    assert api.get(f"/public/{slug}").json["photo"] == photo  # the booking page reads it here
    for path, side in ((photo, 256), (photo.replace("-256.webp", "-96.webp"), 96)):
        served = fetch(http, path)
        assert served.status_code == 200
        assert served.headers["Content-Type"] == "image/webp"
        assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        with Image.open(io.BytesIO(served.body)) as image:
            assert (image.format, image.size) == ("WEBP", (side, side))
            assert not image.getexif()
    assert uploads_left(var_dir, api.id) == []  # the upload itself is not kept


def test_a_new_photo_replaces_the_old_one_and_its_files(http: Any, var_dir: Path) -> None:
    api = Api(http)
    first = upload(http, api, picture("PNG"), "image/png").json["photo"]
    second = upload(http, api, picture("WEBP"), "image/webp").json["photo"]
    assert first != second
    assert fetch(http, first).status_code == 404
    assert fetch(http, second).status_code == 200
    assert photo_files(var_dir, first) == [] and len(photo_files(var_dir, second)) == 2


def test_delete_removes_the_photo_and_is_harmless_twice(http: Any, var_dir: Path) -> None:
    api = Api(http)
    slug = api.bookable()["slug"]
    photo = upload(http, api, picture("JPEG")).json["photo"]
    assert api.delete("/me/photo").status == 204
    assert api.get("/me").json["photo"] is None
    assert api.get(f"/public/{slug}").json["photo"] is None
    assert fetch(http, photo).status_code == 404
    assert photo_files(var_dir, photo) == []
    assert api.delete("/me/photo").status == 204


def test_deleting_the_provider_erases_its_photo_files(http: Any, var_dir: Path) -> None:
    api = Api(http)
    photo = upload(http, api, picture("JPEG")).json["photo"]
    assert len(photo_files(var_dir, photo)) == 2
    assert api.call("DELETE", "/me", {"confirm": "DELETE"}).status == 204
    assert photo_files(var_dir, photo) == []
    assert fetch(http, photo).status_code == 404


def test_the_photo_field_is_not_writable_through_the_profile(http: Any) -> None:
    api = Api(http)
    reply = api.patch("/me", {"photo": "/photos/someone/else-256.webp"})
    assert reply.status == 422, reply
    assert api.get("/me").json["photo"] is None


@pytest.mark.parametrize("content_type", ["image/gif", "image/svg+xml", "text/html", ""])
def test_asking_for_another_type_is_refused(http: Any, content_type: str) -> None:
    reply = Api(http).post("/me/photo", {"content_type": content_type})
    assert reply.status == 422, reply
    assert reply.error_fields() == {"content_type"}


def test_sending_another_type_than_asked_for_is_refused(http: Any, var_dir: Path) -> None:
    api = Api(http)
    target = ask(api, "image/jpeg")
    reply = send(http, target, picture("PNG"), content_type="image/png")
    assert reply.status == 403, reply
    assert reply.json["error"]["code"] == "forbidden"
    assert uploads_left(var_dir, api.id) == []


def test_a_type_the_target_never_takes_is_415(http: Any) -> None:
    target = ask(Api(http))
    reply = send(http, target, b"GIF89a" + b"\x00" * 100, content_type="image/gif")
    assert reply.status == 415, reply
    assert reply.json["error"]["code"] == "unsupported_media_type"


def test_more_than_five_megabytes_is_413_and_nothing_is_kept(http: Any, var_dir: Path) -> None:
    api = Api(http)
    target = ask(api)
    reply = send(http, target, b"\xff\xd8\xff" + b"\x00" * MAX_PHOTO_BYTES)
    assert reply.status == 413, reply
    assert reply.json["error"]["code"] == "payload_too_large"
    assert uploads_left(var_dir, api.id) == []


@pytest.mark.parametrize(
    ("data", "content_type", "reason"),
    [
        (b"<svg onload=alert(1)>" * 50, "image/png", "not_an_image"),
        (png_claiming(40_000, 40_000), "image/png", "too_many_pixels"),
        (truncated(picture("JPEG", size=(800, 600))), "image/jpeg", "damaged"),
        (picture("PNG"), "image/webp", "not_an_image"),  # a PNG sent as WebP
    ],
    ids=["not-an-image", "pixel-bomb", "truncated", "mistyped"],
)
def test_a_hostile_file_is_refused_at_confirmation_and_nothing_is_kept(
    http: Any, var_dir: Path, data: bytes, content_type: str, reason: str
) -> None:
    api = Api(http)
    target = ask(api, content_type)
    assert send(http, target, data).status == 204
    reply = api.put("/me/photo", {"upload_id": target["upload_id"]})
    assert reply.status == 422, reply
    assert reply.json["error"]["details"][0] == {
        "field": "photo",
        "code": reason,
        "message": reply.json["error"]["details"][0]["message"],
    }
    assert api.get("/me").json["photo"] is None
    assert uploads_left(var_dir, api.id) == [] and photo_files(var_dir, target["upload_id"]) == []
    again = api.put("/me/photo", {"upload_id": target["upload_id"]})
    assert again.status == 404  # refused for good: the upload is gone


def test_another_providers_upload_cannot_be_confirmed_or_overwritten(http: Any, var_dir: Path) -> None:
    owner, other = Api(http), Api(http)
    target = ask(owner)
    assert send(http, target, picture("JPEG")).status == 204
    stolen = other.put("/me/photo", {"upload_id": target["upload_id"]})
    assert stolen.status == 404, stolen
    assert other.get("/me").json["photo"] is None
    # The owner's ticket does not open another provider's key, nor another upload of the owner's.
    ticket = parse_qs(urlsplit(target["url"]).query)["ticket"][0]
    theirs = ask(other)
    forged = {**theirs, "url": f"{urlsplit(theirs['url']).path}?ticket={ticket}"}
    assert send(http, forged, picture("JPEG")).status == 403
    assert uploads_left(var_dir, other.id) == []
    assert owner.put("/me/photo", {"upload_id": target["upload_id"]}).status == 200


@pytest.mark.parametrize("ticket", ["", "local1:AAAA", "nonsense"])
def test_a_bad_ticket_is_refused(http: Any, ticket: str) -> None:
    api = Api(http)
    target = ask(api)
    url = f"{urlsplit(target['url']).path}?ticket={ticket}"
    reply = send(http, {**target, "url": url}, picture("JPEG"))
    assert reply.status in {403, 422}, reply
    assert api.put("/me/photo", {"upload_id": target["upload_id"]}).status == 404


@pytest.mark.parametrize("upload_id", ["../../etc", "x" * 26, "01J9Z8Q4W2M7X3K5N6P8R0T2V4"])
def test_confirming_an_unknown_or_malformed_upload_is_an_error(http: Any, upload_id: str) -> None:
    reply = Api(http).put("/me/photo", {"upload_id": upload_id})
    assert reply.status in {404, 422}, reply
    assert reply.json["error"]["code"] in {"not_found", "validation_failed"}


@pytest.mark.parametrize(
    "name",
    [
        "01J9Z8Q4W2M7X3K5N6P8R0T2V4-256.webp",
        "01J9Z8Q4W2M7X3K5N6P8R0T2V4-512.webp",
        "..",
        "x.type",
        "a-256.png",
    ],
)
def test_serving_anything_but_a_stored_square_is_404(http: Any, name: str) -> None:
    reply = fetch(http, f"/photos/{name}")
    assert reply.status_code == 404
    assert json.loads(reply.body)["error"]["code"] == "not_found"


def test_the_photo_routes_need_a_token(http: Any) -> None:
    anonymous = Api(http, anonymous=True)
    assert anonymous.post("/me/photo", {"content_type": "image/png"}).status == 401
    assert anonymous.put("/me/photo", {"upload_id": "01J9Z8Q4W2M7X3K5N6P8R0T2V4"}).status == 401
    assert anonymous.delete("/me/photo").status == 401


def test_an_aws_stage_dashboard_may_post_to_the_photos_bucket_and_no_other_page_may(
    http: Any, settings_for: Any
) -> None:
    from chalicelib import bootstrap
    from chalicelib.api.middleware import HTML_CSP

    aws = settings_for(
        STAGE="dev", JWKS_URL="http://127.0.0.1:9/jwks.json", PHOTOS_BUCKET="scheduler-dev-photos"
    )
    bootstrap.reset(bootstrap.build(aws))
    csp = str(http.get("/app").headers["Content-Security-Policy"])
    connect = next(d for d in csp.split("; ") if d.startswith("connect-src "))
    region = aws.region
    assert connect == (
        "connect-src 'self' https://scheduler-dev-photos.s3.amazonaws.com "
        f"https://scheduler-dev-photos.s3.{region}.amazonaws.com"
    )
    assert http.get("/book/demo").headers["Content-Security-Policy"] == HTML_CSP


def test_outside_the_local_stage_the_upload_route_is_not_there_and_takes_no_large_body(
    http: Any, settings_for: Any
) -> None:
    from chalicelib import bootstrap

    aws = settings_for(
        STAGE="dev", JWKS_URL="http://127.0.0.1:9/jwks.json", PHOTOS_BUCKET="scheduler-dev-photos"
    )
    bootstrap.reset(bootstrap.build(aws))
    path = "/photo-uploads/p-1/01J9Z8Q4W2M7X3K5N6P8R0T2V4?ticket=x"
    small = Reply(http.request("PUT", path, headers={"Content-Type": "image/png"}, body=picture("PNG")))
    assert small.status == 404, small
    large = Reply(http.request("PUT", path, headers={"Content-Type": "image/png"}, body=b"\x00" * 100_000))
    assert large.status == 413, large


def test_the_manage_view_carries_the_photo(http: Any) -> None:
    from datetime import UTC, datetime, timedelta

    from tests.api import booking_body

    api = Api(http)
    service = api.bookable(hours=("00:00", "24:00"))
    photo = upload(http, api, picture("JPEG")).json["photo"]
    start = (datetime.now(UTC) + timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)
    visitor = Api(http, anonymous=True)
    created = visitor.post(
        f"/public/{service['slug']}/bookings",
        booking_body(service["id"], start.strftime("%Y-%m-%dT%H:%M:%SZ")),
    )
    assert created.status == 201, created
    view = visitor.get(f"/public/bookings/{created.json['id']}?token={created.json['manage_token']}")
    assert view.json["provider_brand"]["photo"] == photo
