"""Helpers for the signal receivers of every app."""

from operator import attrgetter

from django.db.models.signals import m2m_changed, post_delete, post_save

M2M_DONE = {"post_add", "post_remove", "post_clear"}


def m2m_changed_ids(instance, action, reverse, pk_set):
    """The ids of the rows on the relation's forward side that a finished m2m change touched.

    For a change made from the forward side, the instance itself; from the other side, each row in
    pk_set. Nothing before the change is done (pre_add, pre_remove, pre_clear).
    """
    if action not in M2M_DONE:
        return []
    return list(pk_set or ()) if reverse else [instance.pk]


def on_row_changes(model, receiver, *, dispatch_uid, key=attrgetter("pk"), deletes=True):
    """Call `receiver(key(row))` after a row of `model` is saved and, unless `deletes` is False, deleted.

    Rows saved while loading fixtures (raw saves) are left out. The receivers' dispatch uids are
    `dispatch_uid` followed by `_saved` and `_deleted`.
    """

    def changed(sender, instance, raw=False, **kwargs):
        if not raw:
            receiver(key(instance))

    # The receiver is a closure that nothing else holds: the signal must keep it alive.
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{dispatch_uid}_saved")
    if deletes:
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{dispatch_uid}_deleted")


def on_relation_changes(throughs, receiver, *, dispatch_uid):
    """Call `receiver(pk)` for every forward-side row a finished change of these m2m relations touched.

    Each relation's receiver has the dispatch uid `dispatch_uid` followed by `_` and its through model's name.
    """

    def changed(sender, instance, action, reverse, pk_set, **kwargs):
        for pk in m2m_changed_ids(instance, action, reverse, pk_set):
            receiver(pk)

    for through in throughs:
        m2m_changed.connect(changed, sender=through, weak=False, dispatch_uid=f"{dispatch_uid}_{through.__name__}")
