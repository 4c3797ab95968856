"""Two-factor authentication (django-otp): a TOTP device per person, ten single-use recovery codes, and
an administrator's reset. Every step is written to the audit log."""

from base64 import b32encode

import segno
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from corredor.core.audit import audit_write
from corredor.core.models import User

RECOVERY_CODES = 10


def has_confirmed_device(user: User) -> bool:
    """An authenticator app or recovery codes: either lets the person give a second factor."""
    return user_has_device(user, confirmed=True)


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The device being enrolled: the same secret until it is confirmed, so a reload shows the same code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def qr_svg_data_uri(uri: str) -> str:
    """The otpauth URI as a QR code, drawn here (an image in a data: URI; nothing from another site)."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=5, border=2))


def manual_secret(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when typed by hand (base32, in groups of four)."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def two_factor_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm an enrolment with a code from the app; the recovery codes (shown once), or None when the
    code is wrong."""
    if not device.verify_token(token.strip().replace(" ", "")):
        audit_write(
            action="login_failed", object_type="core.user", object_id=user.pk, summary="2FA enrolment code"
        )
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    codes = recovery_codes_issue(user=user)
    audit_write(action="update", object_type="core.user", object_id=user.pk, summary="two-factor enrolled")
    return codes


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    """Ten new single-use recovery codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def two_factor_reset(*, user: User, reason: str = "") -> int:
    """Remove a person's devices and recovery codes (a lost phone): they enrol again at their next login."""
    removed = (
        TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
    )
    audit_write(
        action="update",
        object_type="core.user",
        object_id=user.pk,
        summary=f"two-factor reset for {user.get_username()}" + (f": {reason}" if reason else ""),
    )
    return removed
