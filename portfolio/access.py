"""Who may see and change what: the only place permissions live."""

from portfolio.models import MANAGERS_GROUP


def is_manager(user):
    """Managers (and superusers) see and rate the whole portfolio."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(group.name == MANAGERS_GROUP for group in user.groups.all())
