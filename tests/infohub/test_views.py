"""The public pages: no login, in five languages with a visible fallback, only the language cookie, no
request to another site, a light home page; the feeds; the editors' pages refuse others."""

import gzip
import json
import re
from xml.etree import ElementTree

from django.test import override_settings
from django.urls import reverse

from corredor.core.models import AuditEntry
from corredor.infohub.models import Alert, Bundle, Service
from tests.infohub import HubTestCase

PAGES = ["hub-home", "hub-entry", "hub-services", "hub-alerts", "hub-guide", "hub-remittances", "hub-saved"]


class PublicPageTests(HubTestCase):
    seeded = True

    def test_every_page_in_every_language_without_cookies_or_other_sites(self) -> None:
        for lang in ["es", "en", "fr", "ht", "pt"]:
            for name in PAGES:
                response = self.client.get(reverse(name, args=[lang]))
                assert response.status_code == 200, (lang, name)
                assert response["Content-Language"] == lang
                assert not response.cookies, (lang, name, response.cookies)
                html = response.content.decode()
                assert f'<html lang="{lang}">' in html
                # Nothing is fetched from anywhere else: every src and href is on this site.
                for url in re.findall(r'(?:src|href)="([^"]+)"', html):
                    assert url.startswith(("/", "#", "tel:")), (name, url)

    def test_the_language_switch_sets_only_the_language_cookie(self) -> None:
        response = self.client.get(reverse("hub-language", args=["ht"]) + "?next=/hub/ht/alerts/")
        assert response.status_code == 302 and response["Location"] == "/hub/ht/alerts/"
        assert list(response.cookies) == ["django_language"]
        assert self.client.get("/hub/")["Location"] == "/hub/ht/"
        evil = self.client.get(reverse("hub-language", args=["fr"]) + "?next=https://evil.example/")
        assert evil["Location"] == "/hub/fr/"

    def test_a_missing_translation_falls_back_visibly(self) -> None:
        html = self.client.get(reverse("hub-services", args=["ht"]) + "?kind=health").content.decode()
        assert "Poko genyen an Kreyòl; nou montre l an franse." in html
        assert '<div lang="fr" class="text">' in html
        alerts = self.client.get(reverse("hub-alerts", args=["ht"])).content.decode()
        assert "Gwo lapli ak rivyè k ap monte nan Sid la" in alerts

    def test_the_entry_guide_answers_from_the_rules(self) -> None:
        html = self.client.get(
            reverse("hub-entry", args=["en"]) + "?nationality=NIC&mode=land&purpose=tourist"
        ).content.decode()
        assert "Up to 90 days per entry." in html
        assert "You need a visa before you travel." in html
        assert "Peñas Blancas" in html and "CA-4" in html

    def test_filters(self) -> None:
        html = self.client.get(
            reverse("hub-services", args=["es"]) + "?kind=shelter&post=PBL"
        ).content.decode()
        assert html.count('class="service"') == 2  # Peñas Blancas and La Cruz
        html = self.client.get(reverse("hub-services", args=["es"]) + "?language=pt").content.decode()
        assert "Paso Canoas" in html and "Upala" not in html

    def test_home_page_is_under_100_kb_compressed(self) -> None:
        response = self.client.get(reverse("hub-home", args=["es"]))
        assert len(gzip.compress(response.content)) < 100_000

    def test_feeds(self) -> None:
        atom = self.client.get("/hub/alerts.atom?lang=ht")
        assert atom["Content-Type"].startswith("application/atom+xml")
        root = ElementTree.fromstring(atom.content)
        titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
        assert "Pèsonn pa ka vann ou yon randevou imigrasyon" in titles
        feed = json.loads(self.client.get("/hub/alerts.json?lang=pt").content)
        assert feed["version"] == "https://jsonfeed.org/version/1.1" and len(feed["items"]) == 2
        assert {item["language"] for item in feed["items"]} == {"pt", "es"}  # the weather alert has no pt

    def test_expired_alerts_are_not_shown(self) -> None:
        Alert.objects.update(expires_at="2020-01-02T00:00:00Z", starts_at="2020-01-01T00:00:00Z")
        assert json.loads(self.client.get("/hub/alerts.json").content)["items"] == []

    def test_map_data_service_worker_and_manifest(self) -> None:
        data = json.loads(self.client.get("/hub/map.json").content)
        assert len(data["services"]) == 60 and any(p["code"] == "PBL" for p in data["posts"])
        worker = self.client.get("/hub/sw.js")
        assert worker["Service-Worker-Allowed"] == "/hub/" and b"network" in worker.content
        manifest = json.loads(self.client.get("/hub/manifest.webmanifest?lang=fr").content)
        assert manifest["lang"] == "fr" and manifest["start_url"] == "/hub/fr/"

    def test_an_unknown_language_is_not_found(self) -> None:
        assert self.client.get("/hub/de/").status_code == 404


class EditorPageTests(HubTestCase):
    seeded = True

    def test_an_editor_sees_the_review_queue_and_others_are_refused(self) -> None:
        self.client.force_login(self.rafael)
        assert self.client.get(reverse("hub-editor")).status_code == 200
        self.client.force_login(self.ana)
        assert self.client.get(reverse("hub-editor")).status_code == 403
        assert AuditEntry.objects.filter(action="denied", username="ana", object_id="infohub:edit").exists()

    def test_the_editor_pages_save_a_draft_and_a_second_editor_publishes_it(self) -> None:
        self.client.force_login(self.elena)
        form = {
            "kind": "legal_aid",
            "name": "Clínica jurídica nueva",
            "city": "Liberia",
            "near_post": "lir",
            "languages": ["es", "en"],
            "latitude": "10.63",
            "longitude": "-85.44",
            "description_es": "Asesoría gratis.",
            "description_ht": "Konsèy gratis.",
            "submit_for_review": "1",
        }
        assert self.client.post(reverse("hub-editor-service-new"), form).status_code == 302
        service = Service.objects.get(name="Clínica jurídica nueva")
        assert service.status == "review" and service.near_post == "LIR"
        assert service.description == {"es": "Asesoría gratis.", "ht": "Konsèy gratis."}
        url = reverse("hub-editor-service-review", args=[service.pk])
        assert self.client.post(url, {"decision": "approve"}).status_code == 403
        refused = AuditEntry.objects.filter(action="denied", object_id=f"infohub:review:{service.pk}")
        assert refused.get().username == "elena"  # written after the rollback, by the error boundary
        self.client.force_login(self.rafael)
        self.client.post(url, {"decision": "approve"})
        service.refresh_from_db()
        assert service.status == "published"

    def test_publishing_from_the_page(self) -> None:
        self.client.force_login(self.elena)
        before = Bundle.objects.count()
        self.client.post(reverse("hub-editor-publish"))
        assert Bundle.objects.count() == before + 1
        assert self.client.get("/hub/bundle.json").status_code == 200


@override_settings(CORREDOR_MODE="hub")
class HubModePageTests(HubTestCase):
    def test_before_the_first_bundle_the_guide_says_so(self) -> None:
        html = self.client.get(reverse("hub-entry", args=["es"])).content.decode()
        assert "no se han publicado" in html or "not been published" in html

    def test_the_hub_is_not_edited(self) -> None:
        self.client.force_login(self.elena)
        assert self.client.get(reverse("hub-editor")).status_code == 403


class EditorHomeTests(HubTestCase):
    def test_an_information_editor_starts_at_the_editing_page(self) -> None:
        self.client.force_login(self.elena)
        assert self.client.get("/")["Location"] == reverse("hub-editor")


class VisaEditorTests(HubTestCase):
    def test_an_editor_sets_a_visa_requirement_that_the_guide_then_shows(self) -> None:
        self.client.force_login(self.elena)
        assert self.client.get(reverse("hub-editor-visas")).status_code == 200
        form = {"nationality": "ECU", "visa_required": "1", "note_es": "Visa consular."}
        assert self.client.post(reverse("hub-editor-visas"), form).status_code == 302
        assert AuditEntry.objects.filter(object_type="infohub.visarequirement", username="elena").exists()
        self.client.logout()
        html = self.client.get(reverse("hub-entry", args=["en"]) + "?nationality=ECU&mode=air").content
        assert b"You need a visa before you travel." in html
        self.client.force_login(self.ana)
        assert self.client.post(reverse("hub-editor-visas"), form).status_code == 403
