"""Field validators shared by the apps."""

from datetime import UTC, datetime

from django.core.exceptions import ValidationError

# Far enough apart for any real incident or deployment, far enough from the calendar's ends
# (years 1 and 9999) that moving a moment by a window or a time zone never overflows.
EARLIEST_MOMENT = datetime(1900, 1, 1, tzinfo=UTC)
LATEST_MOMENT = datetime(3000, 1, 1, tzinfo=UTC)


def validate_plausible_moment(value):
    """Refuse a moment before 1900 or after 2999."""
    if value is not None and not EARLIEST_MOMENT <= value < LATEST_MOMENT:
        raise ValidationError("Give a moment between the years 1900 and 2999.", code="implausible_moment")
