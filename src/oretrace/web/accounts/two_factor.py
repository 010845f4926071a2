"""Two-factor log-in for password accounts: a TOTP authenticator app, and recovery codes for a lost phone.

The secret is made in the enrolment page's session and stored only once the person has typed a code
from it, so a half-finished enrolment never locks anyone out. Recovery codes are shown once and only
their SHA-256 is kept (each is 80 random bits, too many to try
from a stolen hash, so a plain hash is enough: no salt or stretching needed).
A code is used with a conditional UPDATE, so the same TOTP code or recovery code cannot sign in twice,
even from two requests at the same moment.
"""

from __future__ import annotations

import base64
import hashlib
import io
import secrets

import pyotp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from oretrace.web.accounts.models import Role, role_of

ISSUER = "oretrace"
RECOVERY_CODES = 10


class Authenticator(models.Model):
    """The authenticator app a person enrolled: its TOTP secret and the last time step it accepted."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="authenticator"
    )
    secret = models.CharField(max_length=64)
    # The step (30-second window) of the last accepted code: a code seen once is never taken again.
    last_step = models.BigIntegerField(default=0)
    enrolled_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"authenticator of {self.user.username}"

    def use_code(self, code: str, at=None) -> bool:
        """True when ``code`` is this app's code now (or one step either side) and not used before."""
        code = "".join(code.split())
        if not (code.isdigit() and len(code) == 6):
            return False
        totp = pyotp.TOTP(self.secret)
        at = at or timezone.now()
        for step in (totp.timecode(at), totp.timecode(at) - 1, totp.timecode(at) + 1):
            if secrets.compare_digest(totp.generate_otp(step), code):
                claimed = Authenticator.objects.filter(pk=self.pk, last_step__lt=step).update(last_step=step)
                return claimed == 1
        return False


class RecoveryCode(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    digest = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery code of {self.user.username}{' (used)' if self.used_at else ''}"


def _digest(code: str) -> str:
    return hashlib.sha256("".join(code.split()).replace("-", "").upper().encode()).hexdigest()


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth:// link as an inline SVG QR code (no image file, no external service)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


class WrongCode(Exception):
    """The code typed at enrolment is not the app's code now."""


def enrol(user, secret: str, code: str) -> list[str]:
    """Store the authenticator once ``code`` proves the app has ``secret``, with fresh recovery codes.

    The enrolment code is taken like a log-in code, so it cannot serve again for the next log-in.
    Returns the recovery codes, which are never shown again; raises WrongCode and stores nothing when
    the code is not right.
    """
    with transaction.atomic():
        authenticator, _ = Authenticator.objects.update_or_create(
            user=user, defaults={"secret": secret, "last_step": 0, "enrolled_at": timezone.now()}
        )
        if not authenticator.use_code(code):
            transaction.set_rollback(True)
            raise WrongCode("That code does not match. Check the phone's clock and type the newest code.")
        return _new_recovery_codes(user)


def _new_recovery_codes(user) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = base64.b32encode(secrets.token_bytes(10)).decode()  # 16 characters, 80 bits
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=_digest(code)) for code in codes)
    return codes


def remove(user) -> bool:
    """Remove the authenticator and its recovery codes; False when there was none."""
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        return Authenticator.objects.filter(user=user).delete()[0] > 0


def has_two_factor(user) -> bool:
    return user is not None and Authenticator.objects.filter(user_id=user.pk).exists()


def use_recovery_code(user, code: str) -> bool:
    claimed = RecoveryCode.objects.filter(user=user, digest=_digest(code), used_at=None).update(
        used_at=timezone.now()
    )
    return claimed == 1


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at=None).count()


def verify_second_factor(user, code: str) -> str | None:
    """How ``code`` passed ("authenticator" or "recovery code"), or None when it is wrong or used."""
    authenticator = Authenticator.objects.filter(user=user).first()
    if authenticator is None:
        return None
    if authenticator.use_code(code):
        return "authenticator"
    if use_recovery_code(user, code):
        return "recovery code"
    return None


def must_enrol(user) -> bool:
    """An admin with a password and no authenticator, while ORETRACE_REQUIRE_2FA_FOR_ADMINS is on."""
    from oretrace.web.accounts.oidc import is_single_sign_on

    return (
        settings.REQUIRE_2FA_FOR_ADMINS
        and role_of(user) == Role.ADMIN
        and not has_two_factor(user)
        and not is_single_sign_on(user)
    )
