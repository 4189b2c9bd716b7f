"""The newsroom's roles: a user added to Writers or Editors works in the
admin, so they become staff at once (without it they could not log in)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

# The groups `setup_roles` keeps (news/management/commands/setup_roles.py).
STAFF_ROLES = ("Writers", "Editors")


def make_staff(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """On User.groups changes from either side: users given a staff role get
    `is_staff`. Taking the role away leaves it: an administrator decides that."""
    if action != "post_add" or not pk_set:
        return
    User = get_user_model()
    if reverse:  # group.user_set.add(...)
        if instance.name in STAFF_ROLES:
            User.objects.filter(pk__in=pk_set, is_staff=False).update(is_staff=True)
        return
    given = Group.objects.filter(pk__in=pk_set, name__in=STAFF_ROLES)
    if not instance.is_staff and given.exists():
        instance.is_staff = True
        User.objects.filter(pk=instance.pk).update(is_staff=True)
