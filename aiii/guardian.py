"""Object rights through django-guardian, given and taken away only by services.

Who may open a meeting workspace or download its documents is a grant on that object,
made in the same transaction as the change that causes it (inviting, removing a participant),
so rights never drift from the data. Views never call these: they read through
`visible_to(user)` querysets built on `objects_visible_to`.
"""

from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm


def _codename(perm, obj):
    return perm if "." in perm else f"{obj._meta.app_label}.{perm}"


def grant(perm, *, to, obj):
    """Give `to` (a user or group, or an iterable/queryset of users) `perm` on `obj`."""
    return assign_perm(_codename(perm, obj), to, obj)


def revoke(perm, *, to, obj):
    """Take `perm` on `obj` away from `to` (a user or group, or a queryset of users)."""
    return remove_perm(_codename(perm, obj), to, obj)


def objects_visible_to(user, perm, queryset):
    """The objects of `queryset` on which `user` holds `perm` as an object grant.

    Model-wide permissions do not count (`accept_global_perms=False`): the rule is per object.
    """
    return get_objects_for_user(
        user, perm, klass=queryset, accept_global_perms=False, with_superuser=False
    )
