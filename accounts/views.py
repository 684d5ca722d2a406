"""Sign-in pages beyond Django's own: the answer to a locked-out sign-in."""

import math

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout answer: the sign-in page saying why and for how long, 429 with Retry-After."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    minutes = math.ceil(seconds / 60)
    message = (
        f"Too many failed sign-ins for this username from your address. Try again in {minutes} minute"
        f"{'s' if minutes != 1 else ''}, or ask an administrator to unlock it."
    )
    response = render(
        request, "registration/login.html", {"form": AuthenticationForm(request), "locked_message": message}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response
