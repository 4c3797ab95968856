from typing import Any

from django.conf import settings
from django.http import HttpRequest


def corredor(request: HttpRequest) -> dict[str, Any]:
    return {"CORREDOR_COUNTRY": settings.CORREDOR_COUNTRY, "user_role": getattr(request.user, "role", "")}
