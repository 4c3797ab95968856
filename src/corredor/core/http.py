"""The request type of the views that only signed-in people reach.

Django's stubs type `request.user` as `User | AnonymousUser`; behind `login_required` (or the API's
authentication) it is always a `User`. A view says so by taking an `AuthenticatedHttpRequest` (the pattern
django-stubs documents); nothing changes at run time, Django still passes its own `HttpRequest`.
"""

from django.http import HttpRequest

from corredor.core.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
