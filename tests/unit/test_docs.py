from html.parser import HTMLParser

from quart import Quart
from quart_schema import QuartSchema
from werkzeug.datastructures import Headers

from webhooks import docs


class References(HTMLParser):
    """Collects what a page makes the browser fetch: script sources and link targets."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.links: list[str] = []
        self.title = ""
        self.openapi_url = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self.scripts.append(found.get("src") or "")
        elif tag == "link":
            self.links.append(found.get("href") or "")
        elif tag == "title":
            self._in_title = True
        elif found.get("id") == "swagger-ui":
            self.openapi_url = found.get("data-openapi-url") or ""

    def handle_endtag(self, tag: str) -> None:
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def build_app() -> Quart:
    app = Quart("t")
    app.register_blueprint(docs.blueprint)
    return app


async def read_page(app: Quart) -> tuple[References, str, Headers]:
    response = await app.test_client().get("/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = await response.get_data(as_text=True)
    page = References()
    page.feed(html)
    return page, html, response.headers


async def test_the_page_renders_the_openapi_document_from_local_assets_only():
    page, html, _ = await read_page(build_app())

    assert page.title == "TeamFlow API"
    assert page.openapi_url == "/openapi.json"
    assert page.scripts and page.links
    assert all(src.startswith("/docs/static/") for src in page.scripts)
    assert all(href.startswith("/docs/static/") for href in page.links)
    assert page.scripts[-1].startswith("/docs/static/init.js")
    assert "http://" not in html
    assert "https://" not in html


async def test_the_page_allows_scripts_and_styles_from_itself_only():
    _, _, headers = await read_page(build_app())

    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in headers["Content-Security-Policy"].split("; ")
    }
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert headers["Cache-Control"] == "no-cache"


async def test_every_referenced_asset_is_served_with_a_long_cache():
    app = build_app()
    page, _, _ = await read_page(app)
    client = app.test_client()
    expected = {".js": "javascript", ".css": "text/css", ".png": "image/png"}

    for url in page.scripts + page.links:
        response = await client.get(url)
        assert response.status_code == 200, url
        kind = next(value for suffix, value in expected.items() if f"{suffix}?" in url)
        assert kind in response.content_type, url
        assert response.cache_control.max_age == 365 * 24 * 60 * 60
        assert response.cache_control.immutable
        assert len(await response.get_data()) > 0


async def test_the_init_script_is_our_own_and_reads_the_document_url_from_the_page():
    response = await build_app().test_client().get("/docs/static/init.js")
    script = await response.get_data(as_text=True)

    assert "SwaggerUIBundle(" in script
    assert "dataset.openapiUrl" in script
    assert "validatorUrl: null" in script


async def test_only_the_listed_assets_are_served():
    client = build_app().test_client()

    assert (await client.get("/docs/static/swagger-editor.js")).status_code == 404
    assert (await client.get("/docs/static/../docs.py")).status_code == 404
    assert (await client.get("/docs/static/%2e%2e/docs.py")).status_code == 404


async def test_an_unchanged_asset_answers_not_modified():
    client = build_app().test_client()
    first = await client.get("/docs/static/swagger-ui.css")

    again = await client.get(
        "/docs/static/swagger-ui.css", headers={"If-None-Match": first.headers["ETag"]}
    )

    assert again.status_code == 304


async def test_the_docs_routes_stay_out_of_the_openapi_document():
    app = build_app()
    QuartSchema(app, swagger_ui_path=None, redoc_ui_path=None, scalar_ui_path=None)

    document = await (await app.test_client().get("/openapi.json")).get_json()

    assert not any(path.startswith("/docs") for path in document["paths"])
