"""`corredor hub publish` on central and `corredor hub pull` on the hub: a signed bundle, checked whole;
a forged, damaged, invalid or older bundle changes nothing."""

import io
import json
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from django.core.management import call_command
from django.test import override_settings

from corredor.core.errors import ApplicationError
from corredor.core.models import AuditEntry
from corredor.infohub import bundle, services
from corredor.infohub.bundle import BundleError
from corredor.infohub.models import Alert, Bundle, RemittancePrice, Service, Topic
from tests.infohub import HubTestCase

HUB = override_settings(CORREDOR_MODE="hub")


def as_hub_database() -> None:
    """What a fresh hub's database holds: none of central's content (the test shares one database)."""
    for model in (Topic, Service, Alert, RemittancePrice, Bundle):
        model.objects.all().delete()


def resign(raw: bytes, change: object) -> bytes:
    """A bundle whose payload was changed and signed again with the right key (valid signature)."""
    outer = json.loads(raw)
    payload = json.loads(outer["payload"])
    change(payload)  # type: ignore[operator]
    return bundle.envelope(bundle.payload_json(payload))


class BundleTests(HubTestCase):
    seeded = True

    def publish(self) -> bytes:
        _record, raw = services.bundle_publish(user=self.elena)
        return raw

    def test_publish_then_pull_carries_everything(self) -> None:
        raw = self.publish()
        as_hub_database()
        with HUB:
            record = services.bundle_load(raw=raw)
        assert Service.objects.filter(status="published").count() == 60
        assert Alert.objects.count() == 2 and Topic.objects.count() == 7
        assert RemittancePrice.objects.count() > 30
        assert record.rules["country"] == "CRI" and len(record.rules["rules"]) == 5
        assert AuditEntry.objects.filter(object_type="infohub.bundle", action="bulk").exists()

    def test_a_changed_byte_is_refused_and_nothing_changes(self) -> None:
        raw = self.publish()
        as_hub_database()
        with HUB:
            services.bundle_load(raw=raw)
            forged = raw.replace("Peñas Blancas".encode(), b"Pe\\u00f1as Negras", 1)
            later = resign(raw, lambda p: p.update(sequence=p["sequence"] + 1))
            forged_later = later.replace(b"Albergue", b"Alberge", 1)
            with pytest.raises(BundleError, match="signature"):
                services.bundle_load(raw=forged_later)
            with pytest.raises(BundleError):
                services.bundle_load(raw=forged)
        assert Bundle.objects.count() == 1
        assert not Service.objects.filter(name__contains="Alberge").exists()

    def test_another_key_is_refused(self) -> None:
        raw = self.publish()
        as_hub_database()
        other_key = override_settings(CORREDOR_HUB_BUNDLE_KEY="another key")
        with HUB, other_key, pytest.raises(BundleError, match="signature"):
            services.bundle_load(raw=raw)
        assert not Service.objects.exists()

    def test_invalid_content_is_refused_with_its_place_and_no_partial_load(self) -> None:
        raw = self.publish()
        as_hub_database()
        with HUB:
            services.bundle_load(raw=raw)

            def bad(payload: dict) -> None:
                payload["sequence"] += 1
                payload["content"]["services"][3]["latitude"] = 123.0
                payload["content"]["alerts"] = []

            with pytest.raises(BundleError) as caught:
                services.bundle_load(raw=resign(raw, bad))
        assert caught.value.detail[0]["field"] == "content.services.3.latitude"
        assert Alert.objects.count() == 2  # the old content is whole

    def test_an_older_or_the_same_bundle_is_refused(self) -> None:
        raw = self.publish()
        as_hub_database()
        with HUB:
            services.bundle_load(raw=raw)
            with pytest.raises(BundleError, match="not newer") as caught:
                services.bundle_load(raw=raw)
        assert caught.value.status == 409

    def test_not_json_and_not_a_bundle(self) -> None:
        with HUB:
            with pytest.raises(BundleError, match="not JSON"):
                services.bundle_load(raw=b"\x00garbage")
            with pytest.raises(BundleError, match="not a Corredor hub bundle"):
                services.bundle_load(raw=b'{"format": "other"}')

    def test_central_does_not_load_bundles_and_the_hub_does_not_publish(self) -> None:
        raw = self.publish()
        with pytest.raises(ApplicationError, match="hub"):
            services.bundle_load(raw=raw)
        with HUB, pytest.raises(ApplicationError):
            services.bundle_publish(user=self.elena)

    def test_a_deployment_refuses_the_development_key(self) -> None:
        deployment = override_settings(SECRET_KEY="a deployment's own secret key")
        with deployment, pytest.raises(BundleError, match="development key"):
            services.bundle_publish(user=self.elena)

    def test_only_editors_publish(self) -> None:
        before = Bundle.objects.count()
        with pytest.raises(ApplicationError) as caught:
            services.bundle_publish(user=self.ana)
        assert caught.value.status == 403 and Bundle.objects.count() == before

    def test_the_commands_publish_to_a_file_and_pull_from_it(self) -> None:
        with TemporaryDirectory() as folder:
            path = Path(folder) / "bundle.json"
            out = io.StringIO()
            call_command("hub", "publish", "--output", str(path), stdout=out)
            assert "written to" in out.getvalue()
            as_hub_database()
            with HUB:
                call_command("hub", "pull", str(path), stdout=out)
                assert "loaded" in out.getvalue()
                with pytest.raises(BundleError, match="No such file"):
                    call_command("hub", "pull", str(path) + ".missing")
        assert Service.objects.count() == 60


def test_the_deployment_check_reports_the_development_key() -> None:
    from corredor.infohub.checks import check_bundle_key

    with override_settings(CORREDOR_MODE="hub"):
        assert [problem.id for problem in check_bundle_key(None)] == ["infohub.E001"]
        with override_settings(CORREDOR_HUB_BUNDLE_KEY="a long random value"):
            assert check_bundle_key(None) == []
    assert check_bundle_key(None) == []  # central: `hub publish` refuses the key itself


class PullOverHttpTests(HubTestCase):
    seeded = True

    def test_the_hub_pulls_centrals_bundle_over_http(self) -> None:
        import http.server
        import threading

        _record, raw = services.bundle_publish(user=self.elena)

        class Central(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                found = self.path == "/hub/bundle.json"
                self.send_response(200 if found else 404)
                self.end_headers()
                if found:
                    self.wfile.write(raw)

            def log_message(self, *args: object) -> None:
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Central)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}"
        try:
            as_hub_database()
            with HUB:
                call_command("hub", "pull", f"{url}/hub/bundle.json", stdout=io.StringIO())
                with pytest.raises(BundleError, match="Could not fetch"):
                    call_command("hub", "pull", f"{url}/nothing.json")
        finally:
            server.shutdown()
        assert Service.objects.count() == 60
