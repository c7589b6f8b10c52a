"""The portal's URLs and `/bench/bare/<bytes>/`: a view that renders a template of that many
bytes with no query, through the same middleware, on the same gunicorn (ops/bench)."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns

LINE = "<p>" + "x" * 75 + "</p>\n"  # 83 bytes
TEMPLATE = engines["django"].from_string(
    "<!doctype html><html><body>{% for line in lines %}{{ line|safe }}{% endfor %}"
    "{{ tail }}</body></html>"
)


def bare(request: HttpRequest, size: int) -> HttpResponse:
    size = min(size, 20_000_000)
    count, rest = divmod(max(size - 40, 0), len(LINE))
    return HttpResponse(TEMPLATE.render({"lines": [LINE] * count, "tail": "y" * rest}, request))


urlpatterns = [path("bench/bare/<int:size>/", bare), *portal_urlpatterns]
