"""Editing a review without losing anyone's work, and editing its causal-factor chart.

A save names the version it started from. The save first claims the row with a
conditional `UPDATE … SET version = N + 1 WHERE version = N`: exactly one of two
concurrent saves can win it, and the loser changes nothing and learns, field by
field, what the winner saved.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from core.concurrency import FieldChange, StaleEdit
from postmortems.models import CausalFactor, CausalLink, Review

EDITABLE_M2M = ("authors", "secondary_classes")
EDITABLE_FIELDS = tuple(name for name in Review.EDITABLE_FIELDS if name not in EDITABLE_M2M)
DIFF_FIELDS = ("status", *EDITABLE_FIELDS, *EDITABLE_M2M)


class StaleReview(StaleEdit):
    """A save started from an old version; `changes` says what others saved since, `current` is the review now."""


@transaction.atomic
def update_review(review, *, version, changes, by):
    """Apply changes ({field: value}, authors/secondary_classes as lists) if review is still at `version`.

    Raise StaleReview (and change nothing) if anyone saved it since.
    Returns the saved review, one version on.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS) - set(EDITABLE_M2M)
    if unknown:
        raise ValidationError(f"These fields cannot be edited here: {', '.join(sorted(unknown))}.")
    claimed = Review.objects.filter(pk=review.pk, version=version).update(version=version + 1)
    if claimed != 1:
        current = Review.objects.get(pk=review.pk)
        changes_since, editors = changes_since_version(current, version)
        raise StaleReview(current=current, changes=changes_since, editors=editors)
    review.refresh_from_db()
    review.require_changeable()
    for name, value in changes.items():
        if name not in EDITABLE_M2M:
            setattr(review, name, value)
    # One history record per save: set the many-to-many fields quietly, then save once.
    review.skip_history_when_saving = True
    try:
        for name in EDITABLE_M2M:
            if name in changes:
                getattr(review, name).set(changes[name])
    finally:
        del review.skip_history_when_saving
    review._history_user = by
    review._change_reason = "Edited"
    review.save()
    return review


class _Names:
    """Looks up people and classes named by id in history records, a bounded number of queries per page."""

    def __init__(self):
        self.cache = {}

    def load(self, model, ids):
        missing = {pk for pk in ids if pk is not None and (model, pk) not in self.cache}
        if missing:
            for obj in model.objects.filter(pk__in=missing):
                self.cache[(model, obj.pk)] = str(obj)

    def name(self, model, pk):
        return self.cache.get((model, pk), "(deleted)") if pk is not None else ""


def _load_m2m_snapshots(records):
    """Attach to each history record the ids its many-to-many snapshots name: one query per field."""
    by_record = {record.history_id: record for record in records}
    for record in records:
        record.m2m_ids = {name: [] for name in EDITABLE_M2M}
    for name in EDITABLE_M2M:
        snapshot = apps.get_model("postmortems", f"HistoricalReview_{name}")
        key = "user_id" if name == "authors" else "rootcauseclass_id"
        rows = snapshot.objects.filter(history_id__in=list(by_record)).values_list("history_id", key)
        for history_id, target_id in rows:
            by_record[history_id].m2m_ids[name].append(target_id)
    return records


def _m2m_ids(record, name):
    return sorted(record.m2m_ids[name])


def record_changes(new, old, *, names):
    """Return [FieldChange] between two history records of a review (old may be None: the first record)."""
    meta = Review._meta
    changes = []
    for name in DIFF_FIELDS:
        field = meta.get_field(name)
        if name in EDITABLE_M2M:
            after, before = _m2m_ids(new, name), (_m2m_ids(old, name) if old else [])
            if after == before:
                continue
            model = field.related_model
            names.load(model, [*after, *before])
            render = lambda ids, model=model: ", ".join(names.name(model, pk) for pk in ids)  # noqa: E731
            changes.append(FieldChange(name, _label(field), render(before), render(after)))
            continue
        attname = field.attname
        after, before = getattr(new, attname), (getattr(old, attname) if old else None)
        if after == before or (old is None and after in ("", None)):
            continue
        if field.is_relation:
            names.load(field.related_model, [after, before])
            after, before = names.name(field.related_model, after), names.name(field.related_model, before)
        elif field.choices:
            choices = dict(field.flatchoices)
            after, before = choices.get(after, after), choices.get(before, before) if before else ""
        changes.append(FieldChange(name, _label(field), "" if before is None else before, after))
    return changes


def _label(field):
    label = str(field.verbose_name)
    return label[:1].upper() + label[1:]


def history_entries(review, *, limit=100):
    """Return the review's last `limit` saves, newest first: (record, [FieldChange]) pairs."""
    records = list(review.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    _load_m2m_snapshots(records)
    names = _Names()
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        entries.append((record, record_changes(record, previous, names=names)))
    return entries


def changes_since_version(review, version):
    """Return ([FieldChange], [editor names]): what was saved to review after `version`, and by whom."""
    records = list(review.history.select_related("history_user").order_by("history_date", "history_id"))
    _load_m2m_snapshots(records)
    base = [record for record in records if record.version == version]
    later = [record for record in records if record.version > version]
    editors = sorted({str(record.history_user) for record in later if record.history_user is not None})
    if not base or not later:
        return [], editors
    return record_changes(later[-1], base[-1], names=_Names()), editors


def _lock(review):
    """Serialize chart edits of one review, so two links added at once cannot close a cycle together;
    refuse an edit of a read-only review's chart."""
    Review.objects.select_for_update().only("status").get(pk=review.pk).require_changeable()


FACTOR_FIELDS = CausalFactor.EDITABLE_FIELDS


@transaction.atomic
def add_factor(review, *, by, **fields):
    """Add a causal factor to review's chart; refuse (ValidationError) what does not validate."""
    _lock(review)
    factor = CausalFactor(review=review, **{name: fields[name] for name in FACTOR_FIELDS if name in fields})
    factor.full_clean()
    factor._history_user = by
    factor.save()
    return factor


@transaction.atomic
def update_factor(factor, *, by, **fields):
    _lock(factor.review)
    for name in FACTOR_FIELDS:
        if name in fields:
            setattr(factor, name, fields[name])
    factor.full_clean()
    factor._history_user = by
    factor.save()
    return factor


@transaction.atomic
def delete_factor(factor, *, by):
    """Delete a factor and every link to or from it (each link first, so its history names who)."""
    _lock(factor.review)
    for link in CausalLink.objects.filter(Q(cause=factor) | Q(effect=factor)):
        link._history_user = by
        link.delete()
    factor._history_user = by
    factor.delete()


@transaction.atomic
def add_link(review, *, cause, effect, by):
    """Link cause → effect in review's chart; refuse a self-link, a cross-review link, a duplicate or a cycle."""
    _lock(review)
    link = CausalLink(review=review, cause=cause, effect=effect)
    if cause.review_id != review.pk or effect.review_id != review.pk:
        raise ValidationError("Both factors of a link must belong to the same review.")
    # The model's clean() words every refusal; skip the generic constraint messages that would repeat it.
    link.clean_fields()
    link.clean()
    link._history_user = by
    link.save()
    return link


CAUSE, EFFECT = "cause", "effect"


@transaction.atomic
def add_related_factor(review, *, factor, direction, by, existing=None, **fields):
    """Add a cause (direction="cause") or an effect (direction="effect") of `factor` in one step.

    With `existing`, link that factor; otherwise create a new factor from `fields` first.
    Both happen or neither: a refused link (self-link, duplicate, cycle) leaves no new factor behind.
    Return (the other factor, the link).
    """
    if direction not in (CAUSE, EFFECT):
        raise ValueError(f"direction must be {CAUSE!r} or {EFFECT!r}, not {direction!r}")
    if factor.review_id != review.pk:
        raise ValidationError("Both factors of a link must belong to the same review.")
    other = existing if existing is not None else add_factor(review, by=by, **fields)
    cause, effect = (other, factor) if direction == CAUSE else (factor, other)
    return other, add_link(review, cause=cause, effect=effect, by=by)


@transaction.atomic
def delete_link(link, *, by):
    _lock(link.review)
    link._history_user = by
    link.delete()


# --- The review's history: document saves and chart edits, interleaved by time ---------


@dataclass
class HistoryEntry:
    """One line of a review's history: when, who, what happened (a heading) and the fields it changed."""

    date: object
    user: object
    kind: str  # "document", "factor" or "link"
    title: str
    changes: list
    version: int | None = None


FACTOR_HISTORY_FIELDS = CausalFactor.EDITABLE_FIELDS
FACTOR_ADDED = "Added a causal factor"
FACTOR_CHANGED = "Changed a causal factor"
FACTOR_REMOVED = "Removed a causal factor"


def _factor_value(record, name, names):
    """A factor field of a history record, in words."""
    field = CausalFactor._meta.get_field(name)
    value = getattr(record, field.attname)
    if field.is_relation:
        return names.name(field.related_model, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return value


def _factor_changes(record, previous, names):
    """The fields that differ between two history records of one factor, in words."""
    changes = []
    for name in FACTOR_HISTORY_FIELDS:
        after, before = _factor_value(record, name, names), _factor_value(previous, name, names)
        if after != before:
            changes.append(FieldChange(name, _label(CausalFactor._meta.get_field(name)), before, after))
    return changes


def _factor_summary(record, names):
    """A new factor in one line: “Description” (kind, category, root cause, evidence)."""
    details = [_factor_value(record, "kind", names), _factor_value(record, "category", names).lower()]
    details += [
        label for name, label in (("is_root_cause", "root cause"), ("is_symptom", "symptom")) if getattr(record, name)
    ]
    for name in ("timeline_event", "deployment", "service"):
        if getattr(record, f"{name}_id"):
            details.append(
                f"{_label(CausalFactor._meta.get_field(name)).lower()}: {_factor_value(record, name, names)}"
            )
    return f"{record.description} ({', '.join(details)})"


def chart_history_entries(review):
    """Return [HistoryEntry] for every causal factor and link added, changed or removed in review's chart.

    Three queries (factor records, link records, their users) plus one per kind of evidence named.
    """
    factor_records = list(
        CausalFactor.history.filter(review_id=review.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    link_records = list(
        CausalLink.history.filter(review_id=review.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    names = _Names()
    for name in ("timeline_event", "deployment", "service"):
        field = CausalFactor._meta.get_field(name)
        names.load(field.related_model, {getattr(record, field.attname) for record in factor_records})
    descriptions = {record.id: record.description for record in factor_records}

    def factor_name(pk):
        text = descriptions.get(pk, "(unknown factor)")
        return text if len(text) <= 60 else text[:59] + "…"

    entries, last = [], {}
    for record in factor_records:
        previous = last.get(record.id)
        if record.history_type == "-":
            title, changes = FACTOR_REMOVED, [FieldChange("description", "Description", record.description, "")]
        elif record.history_type == "+" or previous is None:
            title, changes = FACTOR_ADDED, [FieldChange("factor", "Factor", "", _factor_summary(record, names))]
        else:
            title = f"{FACTOR_CHANGED}: “{factor_name(record.id)}”"
            changes = _factor_changes(record, previous, names)
        last[record.id] = record
        entries.append(HistoryEntry(record.history_date, record.history_user, "factor", title, changes))
    for record in link_records:
        text = f"{factor_name(record.cause_id)} → {factor_name(record.effect_id)}"
        if record.history_type == "-":
            title, change = "Removed a link", FieldChange("link", "Link", text, "")
        else:
            title, change = "Linked two factors", FieldChange("link", "Link", "", text)
        entries.append(HistoryEntry(record.history_date, record.history_user, "link", title, [change]))
    return entries


def review_history(review, *, limit=100):
    """Return the review's last `limit` document saves and chart edits, newest first, as [HistoryEntry]."""
    entries = [
        HistoryEntry(
            record.history_date,
            record.history_user,
            "document",
            record.history_change_reason or "Saved",
            changes,
            version=record.version,
        )
        for record, changes in history_entries(review, limit=limit)
    ]
    entries.extend(chart_history_entries(review))
    entries.sort(key=lambda entry: entry.date, reverse=True)
    return entries[:limit]
