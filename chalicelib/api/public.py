from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.api.contract import Operation
from chalicelib.api.http import client_ip, query, render, route

bp = Blueprint(__name__)


@route(
    bp,
    "/public/{slug}",
    op=Operation(
        "A provider's scheduling page: name, time zone, public services by category (?service=: one more)",
        "public",
        query="PublicPageQuery",
        response="PublicPageOut",
        auth=False,
        errors=(404, 429),
    ),
    methods=["GET"],
)
def public_page(slug: str) -> Response:
    from chalicelib.api.schemas import PublicPageOut, PublicPageQuery
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog.public import public_page as read_page

    c = container()
    c.limits.hit("search_per_ip", client_ip(bp.current_request))
    asked = query(bp.current_request, PublicPageQuery).service
    return render(PublicPageOut.of(read_page(slug, c.repo, asked)))


@route(
    bp,
    "/public/{slug}/services/{service_id}",
    op=Operation(
        "One service clients may book, listed on the page or not (an unlisted service's own link)",
        "public",
        response="PublicService",
        auth=False,
        errors=(404, 429),
    ),
    methods=["GET"],
)
def public_service(slug: str, service_id: str) -> Response:
    from chalicelib.api.schemas import PublicService
    from chalicelib.bootstrap import container
    from chalicelib.services.catalog.public import public_service as read_service

    c = container()
    c.limits.hit("search_per_ip", client_ip(bp.current_request))
    return render(PublicService.of(read_service(slug, service_id, c.repo)))
