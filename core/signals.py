"""Helpers for the signal receivers of every app."""

M2M_DONE = {"post_add", "post_remove", "post_clear"}


def m2m_changed_ids(instance, action, reverse, pk_set):
    """The ids of the rows on the relation's forward side that a finished m2m change touched.

    For a change made from the forward side, the instance itself; from the other side, each row in
    pk_set. Nothing before the change is done (pre_add, pre_remove, pre_clear).
    """
    if action not in M2M_DONE:
        return []
    return list(pk_set or ()) if reverse else [instance.pk]
