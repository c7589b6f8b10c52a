"""The OpenAPI schema: valid OpenAPI 3, committed beside the code (a change to an endpoint
without the schema fails here), every route documented with its errors, docs served from our
own static files."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.validation import validate_schema

COMMITTED = Path(settings.BASE_DIR) / "api" / "openapi.yaml"
REGENERATE = "manage.py spectacular --validate --fail-on-warn --file api/openapi.yaml"


def generated() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def api_routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from api_routes(entry, route)
        elif isinstance(entry, URLPattern) and route.startswith("api/v1/"):
            yield route


def test_the_schema_is_valid_openapi_3():
    schema = generated()

    validate_schema(schema)
    assert schema["openapi"].startswith("3.")


def test_the_committed_schema_matches_the_endpoints():
    rendered = OpenApiYamlRenderer().render(generated(), renderer_context={}).decode()
    committed = COMMITTED.read_text()

    assert yaml.safe_load(rendered) == yaml.safe_load(committed), (
        f"The API changed without its schema: run `{REGENERATE}` and review the diff."
    )


def test_every_api_route_is_in_the_schema_with_its_errors():
    schema = generated()
    documented = set(schema["paths"])
    own_pages = {"api/v1/schema/", "api/v1/docs/", "api/v1/redoc/"}
    routes = {route for route in api_routes() if route not in own_pages}

    def as_openapi(route: str) -> str:
        # drf-spectacular names a `pk` path parameter `id`.
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route).replace("{pk}", "{id}")

    missing = sorted(r for r in routes if as_openapi(r) not in documented)
    assert len(routes) >= 15
    assert missing == []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "401", "403", "404", "429"} <= codes, (method, path)
            assert operation["security"], (method, path)
            if method == "post":
                assert "413" in codes


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/v1/schema/")
    docs = client.get("/api/v1/docs/")
    redoc = client.get("/api/v1/redoc/")

    assert schema.status_code == 200
    assert "/api/v1/m/{manufacturer_slug}/orders/" in yaml.safe_load(schema.content)["paths"]
    for page in (docs, redoc):
        assert page.status_code == 200
        html = page.content.decode()
        assert "cdn." not in html and "jsdelivr" not in html and "unpkg" not in html
        assert "/static/drf_spectacular_sidecar/" in html


@pytest.mark.parametrize(
    "asset", ["swagger-ui-dist/swagger-ui-bundle.js", "redoc/bundles/redoc.standalone.js"]
)
def test_the_docs_assets_are_local_static_files(asset):
    from django.contrib.staticfiles import finders

    assert finders.find(f"drf_spectacular_sidecar/{asset}") is not None
