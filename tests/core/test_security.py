"""Issue 11, the platform: login throttling, Argon2, the person's own password, the idle timeout,
two-factor authentication, the Content-Security-Policy and other headers, the deploy checks, and the
audit rows for what administrators change in the admin."""

import io
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password, identify_hasher
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from corredor import settings as corredor_settings
from corredor.core.checks import check_keys, refuse_development_secret_key
from corredor.core.models import ApiToken, AuditEntry, User
from corredor.core.security import LAST_SEEN_KEY
from corredor.core.twofactor import recovery_codes_issue
from tests.factories import PASSWORD
from tests.personas import PersonaTestCase

TEMPLATES_DIR = Path(corredor_settings.BASE_DIR)


def log_in(client: Client, username: str, password: str = PASSWORD, address: str = "192.0.2.1") -> int:
    return client.post(
        "/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    ).status_code


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


class LoginThrottlingTests(PersonaTestCase):
    def test_25_wrong_passwords_then_the_right_one_does_not_log_in(self) -> None:
        client = Client()
        for n in range(25):
            log_in(client, "alice", f"guess-{n}", address=f"198.51.100.{n}")  # a new address each time
        assert log_in(client, "alice", address="203.0.113.7") == 429
        assert not logged_in(client)
        assert AuditEntry.objects.filter(action="login").count() == 0
        assert AuditEntry.objects.filter(action="login_failed", username="alice").count() >= 5

    def test_one_address_guessing_many_accounts_is_locked_out(self) -> None:
        client = Client()
        for name in ("alice", "bob", "sofia", "ana", "aud"):
            log_in(client, name, "wrong", address="198.51.100.66")
        # The right password of an account not guessed at yet, from that address: refused.
        assert log_in(client, "admin", address="198.51.100.66") == 429
        assert not logged_in(client)
        # The same account from another address logs in.
        assert log_in(Client(), "admin", address="192.0.2.200") == 302

    def test_a_few_mistakes_do_not_lock(self) -> None:
        client = Client()
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            log_in(client, "alice", "wrong")
        assert log_in(client, "alice") == 302
        assert logged_in(client)

    def test_the_locked_out_page_speaks_the_persons_language(self) -> None:
        for n in range(settings.AXES_FAILURE_LIMIT):
            log_in(Client(), "bob", "wrong", address=f"198.51.100.{n}")
        client = Client(headers={"accept-language": "es"})
        response = client.post("/login/", {"username": "bob", "password": PASSWORD}, REMOTE_ADDR="192.0.2.9")
        assert response.status_code == 429
        html = response.content.decode()
        assert 'lang="es"' in html and "data-locked-out" in html
        assert f"{settings.AXES_COOLOFF_TIME.seconds // 60}" in html

    @override_settings(CORREDOR_TRUSTED_PROXY_COUNT=1)
    def test_behind_a_proxy_the_forwarded_address_is_the_one_locked(self) -> None:
        proxy = "10.0.0.1"
        for n in range(settings.AXES_FAILURE_LIMIT):
            Client().post(
                "/login/",
                {"username": f"nobody{n}", "password": "x"},
                REMOTE_ADDR=proxy,
                HTTP_X_FORWARDED_FOR="192.0.2.77, 198.51.100.23",
            )
        # The attacker's address is locked ...
        response = Client().post(
            "/login/",
            {"username": "alice", "password": PASSWORD},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR="192.0.2.77, 198.51.100.23",
        )
        assert response.status_code == 429
        # ... not everyone else behind the same proxy (nor is the client's own claim to the left believed).
        response = Client().post(
            "/login/",
            {"username": "alice", "password": PASSWORD},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR="198.51.100.23, 192.0.2.50",
        )
        assert response.status_code == 302


class PasswordTests(PersonaTestCase):
    def test_argon2_is_the_hasher_outside_the_tests(self) -> None:
        assert corredor_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
        with override_settings(PASSWORD_HASHERS=corredor_settings.PASSWORD_HASHERS):
            user = User(username="x")
            user.set_password("a long passphrase")
            assert identify_hasher(user.password).algorithm == "argon2"
            assert check_password("a long passphrase", user.password)

    def test_a_person_changes_their_own_password(self) -> None:
        self.client.force_login(self.alice)
        page = self.client.get("/account/")
        assert page.status_code == 200 and b'name="old_password"' in page.content
        assert b'href="/account/"' in self.client.get("/desk/").content  # linked from the header
        response = self.client.post(
            "/account/",
            {
                "old_password": PASSWORD,
                "new_password1": "a new passphrase 2026",
                "new_password2": "a new passphrase 2026",
            },
        )
        assert response.status_code == 302
        self.alice.refresh_from_db()
        assert self.alice.check_password("a new passphrase 2026")
        assert logged_in(self.client)  # this session stays
        assert AuditEntry.objects.filter(
            action="update", object_id=str(self.alice.pk), summary="password changed"
        ).exists()

    def test_a_wrong_old_password_changes_nothing(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            "/account/",
            {"old_password": "wrong", "new_password1": "x9 new pass y", "new_password2": "x9 new pass y"},
        )
        assert response.status_code == 200
        self.alice.refresh_from_db()
        assert self.alice.check_password(PASSWORD)


class IdleTimeoutTests(PersonaTestCase):
    def test_a_session_idle_too_long_is_logged_out(self) -> None:
        self.client.force_login(self.alice)
        assert self.client.get("/desk/").status_code == 200
        session = self.client.session
        session[LAST_SEEN_KEY] = int(time.time()) - (settings.CORREDOR_SESSION_IDLE_MINUTES * 60 + 5)
        session.save()
        response = self.client.get("/desk/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")
        assert not logged_in(self.client)
        assert AuditEntry.objects.filter(action="logout", object_id=str(self.alice.pk)).exists()

    def test_an_active_session_stays(self) -> None:
        self.client.force_login(self.alice)
        self.client.get("/desk/")
        session = self.client.session
        session[LAST_SEEN_KEY] = int(time.time()) - 60
        session.save()
        assert self.client.get("/desk/").status_code == 200

    @override_settings(CORREDOR_SESSION_IDLE_MINUTES=1)
    def test_the_timeout_is_configurable_and_htmx_is_sent_to_login(self) -> None:
        self.client.force_login(self.alice)
        self.client.get("/desk/")
        session = self.client.session
        session[LAST_SEEN_KEY] = int(time.time()) - 90
        session.save()
        response = self.client.get("/desk/", headers={"HX-Request": "true"})
        assert response["HX-Redirect"].startswith("/login/")


@override_settings(CORREDOR_REQUIRE_2FA=True)
class TwoFactorTests(PersonaTestCase):
    def password_login(self, username: str) -> Client:
        client = Client()
        assert log_in(client, username) == 302
        return client

    def enrol(self, client: Client, user: User) -> list[str]:
        page = client.get("/account/two-factor/enrol/")
        assert page.status_code == 200
        html = page.content.decode()
        assert 'src="data:image/svg+xml' in html and "otpauth://totp/" in html
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        response = client.post("/account/two-factor/enrol/", {"token": f"{totp(device.bin_key):06d}"})
        assert response.status_code == 200
        return re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())

    def test_a_supervisor_without_a_device_is_sent_to_enrolment_and_reaches_nothing_else(self) -> None:
        client = self.password_login("sofia")
        for page in ("/desk/", "/audit/", "/post/", "/api/v1/crossings"):
            response = client.get(page)
            assert response.status_code in (302, 403), page
            if response.status_code == 302:
                assert response["Location"].startswith("/account/two-factor/")
        assert client.get("/account/two-factor/")["Location"] == "/account/two-factor/enrol/"
        codes = self.enrol(client, self.sofia)
        assert len(codes) == 10
        assert client.get("/desk/").status_code == 200
        assert AuditEntry.objects.filter(summary="two-factor enrolled", object_id=str(self.sofia.pk)).exists()

    def test_every_required_role_is_held_and_officers_and_analysts_are_not(self) -> None:
        for name in ("admin", "aud", "sofia"):
            assert self.password_login(name).get("/")["Location"] == "/account/two-factor/", name
        from tests.factories import UserFactory

        UserFactory(username="lista", role="watchlist_manager")
        assert self.password_login("lista").get("/")["Location"] == "/account/two-factor/"
        assert self.password_login("alice").get("/desk/").status_code == 200
        assert self.password_login("ana").get("/").status_code == 302
        assert self.password_login("ana").get("/").get("Location") != "/account/two-factor/"

    def test_an_enrolled_supervisor_gives_a_code_after_the_password(self) -> None:
        codes = self.enrol(self.password_login("sofia"), self.sofia)
        client = self.password_login("sofia")
        assert client.get("/desk/")["Location"] == "/account/two-factor/?next=%2Fdesk%2F"
        wrong = client.post("/account/two-factor/", {"token": "000000"})
        assert wrong.status_code == 200 and b'role="alert"' in wrong.content
        device = TOTPDevice.objects.get(user=self.sofia, confirmed=True)
        device.throttle_reset()
        # A code already used (at enrolment) is refused; the next time step's is accepted.
        device.refresh_from_db()
        response = client.post(
            "/account/two-factor/",
            {"token": f"{totp(device.bin_key, t0=device.t0, step=device.step, drift=1):06d}"},
        )
        assert response.status_code == 302
        assert client.get("/desk/").status_code == 200
        # A recovery code works once (the wrong code above throttled it for a second: that second passes).
        StaticDevice.objects.get(user=self.sofia).throttle_reset()
        other = self.password_login("sofia")
        assert other.post("/account/two-factor/", {"token": codes[0]}).status_code == 302
        again = self.password_login("sofia")
        assert again.post("/account/two-factor/", {"token": codes[0]}).status_code == 200

    def test_an_administrator_resets_a_persons_two_factor(self) -> None:
        self.enrol(self.password_login("sofia"), self.sofia)
        self.admin.is_staff = self.admin.is_superuser = True
        self.admin.save()
        admin = self.password_login("admin")
        self.enrol(admin, self.admin)
        response = admin.post(
            "/admin/core/user/", {"action": "reset_two_factor", "_selected_action": [self.sofia.pk]}
        )
        assert response.status_code == 302
        assert not TOTPDevice.objects.filter(user=self.sofia).exists()
        assert not StaticDevice.objects.filter(user=self.sofia).exists()
        entry = AuditEntry.objects.filter(
            object_id=str(self.sofia.pk), summary__startswith="two-factor reset"
        ).get()
        assert entry.username == "admin"
        assert self.password_login("sofia").get("/")["Location"] == "/account/two-factor/"

    def test_an_officer_may_enrol_and_is_then_asked(self) -> None:
        client = self.password_login("alice")
        self.enrol(client, self.alice)
        assert self.password_login("alice").get("/desk/")["Location"].startswith("/account/two-factor/")

    def test_api_tokens_are_unaffected(self) -> None:
        out = io.StringIO()
        call_command("token", "create", "sofia", stdout=out)
        key = out.getvalue().strip()
        response = Client().get("/api/v1/crossings", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 200

    def test_recovery_codes_are_ten_and_replace_the_old(self) -> None:
        first = recovery_codes_issue(user=self.alice)
        second = recovery_codes_issue(user=self.alice)
        assert len(second) == 10 and not set(first) & set(second)


class HeaderTests(PersonaTestCase):
    def test_pages_carry_a_strict_content_security_policy(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get("/desk/")
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy

    def test_pages_for_a_logged_in_person_are_not_stored(self) -> None:
        self.client.force_login(self.alice)
        assert self.client.get("/desk/")["Cache-Control"] == "no-store"
        traveller_search = self.client.get("/travellers/")
        assert traveller_search["Cache-Control"] == "no-store", traveller_search.status_code

    def test_no_template_has_an_inline_script_or_handler(self) -> None:
        offenders = []
        for template in TEMPLATES_DIR.rglob("templates/**/*.html"):
            text = template.read_text(encoding="utf-8")
            for pattern in (
                r"<script(?![^>]*\b(src=|type=\"application/json\"))",
                r"\son[a-z]+\s*=",
                r"\sstyle\s*=",
                r"javascript:",
                r"hx-on",
            ):
                if re.search(pattern, text):
                    offenders.append(f"{template.relative_to(TEMPLATES_DIR)}: {pattern}")
            if "<style" in text and "<style nonce=" not in text:
                offenders.append(f"{template.relative_to(TEMPLATES_DIR)}: <style> without the nonce")
        assert offenders == []

    def test_htmx_is_served_from_here(self) -> None:
        html = Client().get("/login/").content.decode()
        scripts = re.findall(r'<script src="([^"]+)"', html)
        assert scripts and all(src.startswith("/static/") for src in scripts)


class DeployTests(PersonaTestCase):
    def test_the_development_secret_key_is_refused_without_debug(self) -> None:
        with override_settings(DEBUG=False, SECRET_KEY=settings.DEVELOPMENT_SECRET_KEY):
            with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is the development key"):
                refuse_development_secret_key(["gunicorn", "corredor.wsgi"])
            refuse_development_secret_key(["corredor", "runserver"])  # the development server
        with override_settings(DEBUG=False, SECRET_KEY="a-real-key-" + "x" * 50):
            refuse_development_secret_key(["gunicorn", "corredor.wsgi"])

    def test_deploy_checks_name_the_development_keys(self) -> None:
        ids = {problem.id for problem in check_keys(None)}
        assert {"corredor.E001", "corredor.W001"} <= ids
        with override_settings(SECRET_KEY="s" * 60, CORREDOR_AUDIT_KEY="a" * 60, CORREDOR_REQUIRE_2FA=True):
            assert check_keys(None) == []

    def test_check_deploy_is_clean_with_a_production_environment(self) -> None:
        import os
        import subprocess
        import sys

        env = {
            **os.environ,
            "SECRET_KEY": "k" * 30 + "Zq8#vX2!pL" + "m" * 20,
            "CORREDOR_AUDIT_KEY": "another long random audit key 0123456789",
            "ALLOWED_HOSTS": "corredor.example.org",
            "DEBUG": "0",
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        done = subprocess.run(
            [sys.executable, "-m", "corredor.cli", "check", "--deploy", "--fail-level", "WARNING"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "no issues" in done.stdout


class AdminAuditTests(PersonaTestCase):
    def setUp(self) -> None:
        self.admin.is_staff = self.admin.is_superuser = True
        self.admin.save()
        self.client.force_login(self.admin)

    def test_changing_a_role_or_post_in_the_admin_is_audited(self) -> None:
        form = self.client.get(f"/admin/core/user/{self.alice.pk}/change/")
        assert form.status_code == 200
        data = {
            "username": "alice",
            "first_name": "",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "role": "supervisor",
            "border_post": "PBL",
            "date_joined_0": "2024-01-01",
            "date_joined_1": "00:00:00",
        }
        response = self.client.post(f"/admin/core/user/{self.alice.pk}/change/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        entry = AuditEntry.objects.filter(
            object_type="core.user", object_id=str(self.alice.pk), action="update"
        ).get()
        assert "role officer → supervisor" in entry.summary and "border_post SJO → PBL" in entry.summary
        assert entry.username == "admin"

    def test_revoking_a_token_in_the_admin_is_audited(self) -> None:
        call_command("token", "create", "alice", stdout=io.StringIO())
        token = ApiToken.objects.get(user=self.alice)
        assert AuditEntry.objects.filter(
            object_type="core.apitoken", action="create", object_id=str(token.pk)
        ).exists()
        response = self.client.post(
            "/admin/core/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
        )
        assert response.status_code == 302
        token.refresh_from_db()
        assert token.revoked
        assert AuditEntry.objects.filter(
            object_type="core.apitoken", action="update", object_id=str(token.pk), username="admin"
        ).exists()


class ApiHeaderTests(PersonaTestCase):
    def test_api_answers_are_not_stored(self) -> None:
        out = io.StringIO()
        call_command("token", "create", "alice", stdout=out)
        response = Client().get(
            "/api/v1/crossings", headers={"Authorization": f"Bearer {out.getvalue().strip()}"}
        )
        assert response.status_code == 200 and response["Cache-Control"] == "no-store"

    @override_settings(CORREDOR_TRUSTED_PROXY_COUNT=1)
    def test_the_audit_log_records_the_address_the_proxy_saw(self) -> None:
        Client().post(
            "/login/",
            {"username": "alice", "password": PASSWORD},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.44",
        )
        assert AuditEntry.objects.get(action="login").origin == "192.0.2.44"

    @override_settings(CORREDOR_TRUSTED_PROXY_COUNT=1)
    def test_a_forwarded_value_that_is_no_address_is_not_believed(self) -> None:
        response = Client().post(
            "/login/",
            {"username": "alice", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="'; DROP TABLE --",
        )
        assert response.status_code == 200
        assert AuditEntry.objects.get(action="login_failed").origin == "10.0.0.1"


@override_settings(CORREDOR_REQUIRE_2FA=True)
class TwoFactorCommandTests(PersonaTestCase):
    def test_codes_printed_by_the_command_log_a_supervisor_in(self) -> None:
        out = io.StringIO()
        call_command("twofactor", "codes", "sofia", stdout=out)
        codes = [line.strip() for line in out.getvalue().splitlines()[1:]]
        assert len(codes) == 10
        client = Client()
        assert log_in(client, "sofia") == 302
        assert client.post("/account/two-factor/", {"token": codes[3]}).status_code == 302
        assert client.get("/desk/").status_code == 200
        assert AuditEntry.objects.filter(summary="recovery codes issued (command)").exists()

    def test_reset_from_the_command_line(self) -> None:
        recovery_codes_issue(user=self.admin)
        call_command("twofactor", "reset", "admin", "--reason", "lost phone", stdout=io.StringIO())
        assert not StaticDevice.objects.filter(user=self.admin).exists()
        assert AuditEntry.objects.filter(summary__contains="lost phone").exists()
