"""The API's promises (docs/api.md): every error under /api/ is JSON `{"message", "detail"}` with its status,
a body of the wrong content type is 415, and the interactive documentation leads back to the application."""

from django.test import override_settings

from corredor.border.models import Crossing
from corredor.core.management.commands.token import token_create
from tests.personas import PersonaTestCase


class ApiErrorShapeTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.key = token_create(user=cls.alice)

    def setUp(self) -> None:
        self.auth = {"Authorization": f"Bearer {self.key}", "Accept-Language": "en"}
        self.client.raise_request_exception = False

    def assert_error(self, response, status: int) -> dict:
        assert response.status_code == status, response.content
        assert response["Content-Type"].startswith("application/json")
        body = response.json()
        assert set(body) == {"message", "detail"} and body["message"]
        return body

    def test_a_form_body_is_415_and_names_the_content_type(self) -> None:
        response = self.client.post(
            "/api/v1/crossings",
            data="post=SJO",
            content_type="application/x-www-form-urlencoded",
            headers=self.auth,
        )
        body = self.assert_error(response, 415)
        assert body["detail"] == {
            "content_type": "application/x-www-form-urlencoded",
            "expected": "application/json",
        }
        assert not Crossing.objects.exists()

    def test_json_sent_as_text_is_415_too(self) -> None:
        response = self.client.post(
            "/api/v1/crossings", data='{"post": "SJO"}', content_type="text/plain", headers=self.auth
        )
        self.assert_error(response, 415)

    def test_a_json_body_with_a_json_content_type_still_reaches_validation(self) -> None:
        response = self.client.post(
            "/api/v1/crossings",
            data='{"post": "SJO"}',
            content_type="application/json; charset=utf-8",
            headers=self.auth,
        )
        self.assert_error(response, 422)

    def test_an_oversized_body_is_413_json_with_the_limit(self) -> None:
        with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024 * 1024):
            response = self.client.post(
                "/api/v1/crossings",
                data='{"post": "' + "x" * 1_100_000 + '"}',
                content_type="application/json",
                headers=self.auth,
            )
        body = self.assert_error(response, 413)
        assert "1.0 MB" in body["message"]
        assert body["detail"] == {"limit_bytes": 1024 * 1024}

    def test_an_unknown_address_is_404_json(self) -> None:
        body = self.assert_error(self.client.get("/api/v1/nowhere", headers=self.auth), 404)
        assert "/api/v1/docs" in body["message"]
        self.assert_error(self.client.get("/api/nowhere"), 404)

    def test_a_missing_record_is_404_json(self) -> None:
        response = self.client.get(
            "/api/v1/crossings/00000000-0000-0000-0000-000000000000", headers=self.auth
        )
        self.assert_error(response, 404)

    def test_a_method_the_address_does_not_take_is_405_json_with_allow(self) -> None:
        response = self.client.delete("/api/v1/crossings", headers=self.auth)
        body = self.assert_error(response, 405)
        assert set(body["detail"]["allowed"]) == {"GET", "POST"}
        assert "GET" in response["Allow"]

    def test_pages_outside_the_api_keep_their_html_404(self) -> None:
        response = self.client.get("/nowhere")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/html")


@override_settings(ROOT_URLCONF="tests.core.boundary_urls")
class StrictSchemaTests(PersonaTestCase):
    def test_an_unknown_field_is_refused_by_name_not_dropped(self) -> None:
        response = self.client.post(
            "/api/boundary/strict", data={"stay_day": 5}, content_type="application/json"
        )
        assert response.status_code == 422
        assert response.json()["detail"] == [
            {"field": "stay_day", "message": "Extra inputs are not permitted"}
        ]

    def test_known_fields_pass(self) -> None:
        response = self.client.post(
            "/api/boundary/strict", data={"stay_days": 5}, content_type="application/json"
        )
        assert response.status_code == 200 and response.json() == {"stay_days": 5}


class ApiDocsTests(PersonaTestCase):
    def test_the_docs_link_back_to_the_application(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get("/api/v1/docs")
        assert response.status_code == 200
        assert b'href="/" rel="home"' in response.content
        assert b"swagger-ui-bundle.js" in response.content  # still the interactive documentation


def test_no_two_api_schemas_share_a_name() -> None:
    """The OpenAPI document names each schema by its class name: two classes of one name (one per app)
    would leave one description for both, and clients would read one app's answers with the other's."""
    import importlib
    import pkgutil

    from ninja import Schema

    import corredor

    for module in pkgutil.walk_packages(corredor.__path__, "corredor."):
        if module.name.endswith(".api") or ".api." in module.name:
            importlib.import_module(module.name)

    def subclasses(cls: type) -> list[type]:
        found = []
        for sub in cls.__subclasses__():
            found.append(sub)
            found.extend(subclasses(sub))
        return found

    ours = [c for c in subclasses(Schema) if c.__module__.startswith("corredor.")]
    seen: dict[str, str] = {}
    clashes = []
    for cls in ours:
        where = f"{cls.__module__}.{cls.__qualname__}"
        if cls.__name__ in seen and seen[cls.__name__] != where:
            clashes.append(f"{cls.__name__}: {seen[cls.__name__]} and {where}")
        seen.setdefault(cls.__name__, where)
    assert not clashes, clashes
