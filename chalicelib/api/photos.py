"""The provider's photo: upload target, confirmation, removal, and the squares served publicly.

The squares are served from the app's own origin (the pages' CSP allows ``img-src 'self'``);
their names carry the photo's version, so they are cached for good and a new photo is a new URL.
"""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.api.auth import Caller
from chalicelib.api.contract import Operation
from chalicelib.api.http import client_ip, json_response, no_content, parse, query, read_json, render, route
from chalicelib.api.me import provider_view
from chalicelib.domain.photo import PHOTO_MEDIA_TYPE, PHOTO_TYPES

bp = Blueprint(__name__)
TAG = "provider"
# A square never changes under its URL (a new photo has a new version in its name).
IMMUTABLE = "public, max-age=31536000, immutable"
UPLOAD_ROUTE = "/photo-uploads/{provider_id}/{upload_id}"


@route(
    bp,
    "/me/photo",
    op=Operation(
        "Where to send a photo (JPEG, PNG or WebP, at most 5 MB): then PUT /me/photo to use it",
        TAG,
        body="PhotoUploadCreate",
        response="PhotoUploadOut",
    ),
    methods=["POST"],
)
def start_photo_upload(caller: Caller) -> Response:
    from chalicelib.api.schemas import PhotoUploadCreate, PhotoUploadOut
    from chalicelib.bootstrap import container
    from chalicelib.services.photos.photos import start_upload

    body = parse(PhotoUploadCreate, read_json(bp.current_request))
    return render(PhotoUploadOut.of(start_upload(caller.identity, body.content_type, container().photos)))


@route(
    bp,
    "/me/photo",
    op=Operation(
        "Use a sent upload as the photo: checked, cut to 256 and 96 px squares, metadata dropped; "
        "422 when it is not a picture this accepts, 404 when there is no such upload, 409 when "
        "the photo changed meanwhile (send it again)",
        TAG,
        body="PhotoConfirm",
        response="ProviderOut",
        errors=(404, 409),
    ),
    methods=["PUT"],
)
def confirm_photo(caller: Caller) -> Response:
    from chalicelib.api.schemas import PhotoConfirm
    from chalicelib.bootstrap import container
    from chalicelib.services.photos.photos import confirm_upload

    body = parse(PhotoConfirm, read_json(bp.current_request))
    return json_response(provider_view(confirm_upload(caller.identity, body.upload_id, container().photos)))


@route(
    bp,
    "/me/photo",
    op=Operation(
        "Remove the photo (none: no error; 409 when it changed meanwhile)", TAG, status=204, errors=(409,)
    ),
    methods=["DELETE"],
)
def delete_photo(caller: Caller) -> Response:
    from chalicelib.bootstrap import container
    from chalicelib.services.photos.photos import remove_photo

    remove_photo(caller.identity, container().photos)
    return no_content()


@route(
    bp,
    "/photos/{name}",
    op=Operation(
        "A provider's photo, a WebP square (<version>-256.webp or <version>-96.webp), cached for good",
        "public",
        auth=False,
        errors=(404, 429),
        media_types=(PHOTO_MEDIA_TYPE,),
    ),
    methods=["GET"],
)
def photo(name: str) -> Response:
    from chalicelib.bootstrap import container
    from chalicelib.services.photos.photos import read_square

    c = container()
    c.limits.hit("search_per_ip", client_ip(bp.current_request))
    found = read_square(name, c.photos.store)
    return Response(
        body=found.data,
        status_code=200,
        headers={"Content-Type": PHOTO_MEDIA_TYPE, "Cache-Control": IMMUTABLE},
    )


@route(
    bp,
    UPLOAD_ROUTE,
    op=Operation(
        "Local stage only: the upload target POST /me/photo names (404 elsewhere); 403 for a "
        "ticket of another upload or type, or expired",
        "local",
        query="PhotoUploadQuery",
        status=204,
        auth=False,
        errors=(403, 404, 413, 415),
    ),
    methods=["PUT"],
    content_types=list(PHOTO_TYPES),
)
def receive_photo_upload(provider_id: str, upload_id: str) -> Response:
    from chalicelib.api.schemas import PhotoUploadQuery
    from chalicelib.bootstrap import container
    from chalicelib.services.photos.photos import receive_upload

    request = bp.current_request
    ticket = query(request, PhotoUploadQuery).ticket
    kind = request.headers.get("content-type", "")
    raw = request.raw_body or b""
    data = raw if isinstance(raw, bytes) else raw.encode()
    receive_upload(provider_id, upload_id, ticket, kind, data, container().photos)
    return no_content()
