"""Bringing past post-incident reviews in from another system, many at once and all or nothing.

A record is an incident (with its timeline), its review (every section, root-cause classes, the
causal-factor chart, when it was published) and the review's actions. `import_reviews(document, by=…)`
checks every record before it writes anything: the document's shape, the names it uses (teams,
services, people, root-cause classes), each model's own rules (`full_clean`, `Incident.clean_many_to_many`,
`Review.publish_problems`, `CausalLink.refusal`, `ActionItem.apply_status`) and, unless told otherwise,
whether `by` may import it. One invalid record refuses the whole document (`ImportRefused`, naming each
record and field at fault); a valid one is written in one transaction, each published review through
`publish_review` with its own publication time.

Idempotent: a record is known by its incident's (source, external_id). One already in Hindsight is
skipped as it is, not updated (people may have edited it since), so re-running an import after a
failure, or twice, creates nothing new.

The API (`POST /api/import/reviews/`) and `manage.py import_reviews FILE` both call `import_reviews`.
It lives in `actions` because that is the lowest app that sees incidents, reviews and actions.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework import serializers
from simple_history.utils import bulk_create_with_history

from accounts.models import Role, Team
from accounts.permissions import has_team_role
from actions.choices import Status
from actions.models import ActionItem, default_due_date
from core.validators import validate_plausible_moment
from incidents.models import Incident, TimelineEvent, may_edit
from postmortems.choices import ReviewStatus
from postmortems.models import SECTION_FIELDS, CausalFactor, CausalLink, Review, RootCauseClass
from postmortems.publishing import publish_review
from services.models import Service

# One request's worth: a bigger file goes through `manage.py import_reviews` or in several requests.
MAX_RECORDS_PER_REQUEST = 500
IMPORTED = "Imported"


def _username(**kwargs):
    return serializers.CharField(max_length=150, **kwargs)


def _slug(**kwargs):
    return serializers.CharField(max_length=100, **kwargs)


class TimelineEntryShape(serializers.ModelSerializer):
    author = _username(required=False, allow_null=True, help_text="A username.")

    class Meta:
        model = TimelineEvent
        fields = ["occurred_at", "kind", "text", "author"]
        extra_kwargs = {"occurred_at": {"required": True}}


class IncidentShape(serializers.ModelSerializer):
    team = _slug(required=False, allow_null=True, help_text="The responding team's slug.")
    services = serializers.ListField(child=_slug(), required=False, help_text="Slugs of the affected services.")
    commander = _username(required=False, allow_null=True)
    reporter = _username(required=False, allow_null=True)
    allowed_teams = serializers.ListField(
        child=_slug(), required=False, help_text="For a restricted incident: the slugs of the teams that may see it."
    )
    labels = serializers.DictField(child=serializers.CharField(max_length=200), required=False)
    timeline = TimelineEntryShape(many=True, required=False)

    class Meta:
        model = Incident
        fields = ["source", "external_id", *Incident.WRITABLE_FIELDS, "timeline"]
        extra_kwargs = {
            "source": {"required": True, "allow_blank": False},
            "external_id": {"required": True, "allow_blank": False},
            "status": {"required": True},
        }
        validators = []  # an incident imported before is skipped, not refused


class FactorShape(serializers.ModelSerializer):
    key = serializers.CharField(max_length=100, help_text="Names the factor in this record's links and actions.")
    service = _slug(required=False, allow_null=True)
    timeline_event = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="Evidence: the index of an entry of the timeline."
    )

    class Meta:
        model = CausalFactor
        fields = ["key", "kind", "category", "description", "is_symptom", "is_root_cause", "service", "timeline_event"]


class LinkShape(serializers.Serializer):
    cause = serializers.CharField(max_length=100, help_text="A factor's key.")
    effect = serializers.CharField(max_length=100, help_text="A factor's key.")


class ReviewShape(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=ReviewStatus.choices, default=ReviewStatus.PUBLISHED)
    owner = _username(required=False, allow_null=True)
    facilitator = _username(required=False, allow_null=True)
    authors = serializers.ListField(child=_username(), required=False)
    primary_class = serializers.CharField(
        max_length=100, required=False, allow_null=True, help_text="A root-cause class's slug or name."
    )
    secondary_classes = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    factors = FactorShape(many=True, required=False)
    links = LinkShape(many=True, required=False)

    class Meta:
        model = Review
        fields = [
            "status",
            "published_at",
            *Review.EDITABLE_FIELDS,
            "factors",
            "links",
        ]


class ActionShape(serializers.ModelSerializer):
    owner = _username(required=False, allow_null=True)
    team = _slug(
        required=False, allow_null=True, help_text="The owning team's slug; the incident's team when left out."
    )
    services = serializers.ListField(child=_slug(), required=False)
    factors = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, help_text="Keys of the factors it addresses."
    )
    status = serializers.ChoiceField(choices=Status.choices, default=Status.OPEN)
    opened_at = serializers.DateTimeField(
        required=False,
        validators=[validate_plausible_moment],
        help_text="When it was raised; the review's publication (or the incident's resolution) when left out.",
    )
    done_at = serializers.DateTimeField(required=False, allow_null=True, validators=[validate_plausible_moment])
    closed_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        validators=[validate_plausible_moment],
        help_text="When a won't-do was dropped.",
    )

    class Meta:
        model = ActionItem
        fields = [
            *ActionItem.EDITABLE_FIELDS,
            "status",
            "wont_do_reason",
            "opened_at",
            "done_at",
            "closed_at",
        ]
        extra_kwargs = {"due_date": {"required": False}}


class RecordShape(serializers.Serializer):
    incident = IncidentShape()
    review = ReviewShape(required=False)
    actions = ActionShape(many=True, required=False)


class ImportDocumentSerializer(serializers.Serializer):
    """The import document: `{"records": [{"incident": …, "review": …, "actions": […]}, …]}`."""

    records = RecordShape(many=True, allow_empty=False)


class ImportRefused(Exception):
    """Nothing was imported. `errors` is nested like the document ({"records": {"3": {"review": …}}}),
    `problems` says the same in lines naming each record; `forbidden` when the only fault is permission."""

    def __init__(self, errors, problems, *, forbidden=False):
        super().__init__(f"Nothing was imported: {len(errors.get('records', {})) or 1} record(s) refused.")
        self.errors, self.problems, self.forbidden = errors, problems, forbidden


@dataclass
class ImportResult:
    """What an import did: one outcome per record, in document order, and how many rows of each kind it wrote."""

    outcomes: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    @property
    def created(self):
        return sum(1 for outcome in self.outcomes if outcome["result"] == "created")

    @property
    def skipped(self):
        return sum(1 for outcome in self.outcomes if outcome["result"] == "skipped")


# --- Checking ---------------------------------------------------------------------------


class _Errors:
    """Field errors collected at paths like ("records", 3, "review", "factors", 1, "kind"), as a tree shaped
    like the document and as lines naming each record by index and (source, external_id)."""

    def __init__(self, records=()):
        self.records = records if isinstance(records, list) else []
        self.tree, self.lines = {}, []

    def add(self, path, messages):
        messages = [str(message) for message in (messages if isinstance(messages, list | tuple) else [messages])]
        node = self.tree
        for part in path[:-1]:
            node = node.setdefault(str(part), {})
        node.setdefault(str(path[-1]), []).extend(messages)
        if len(path) > 2 and path[0] == "records":
            where = f"record {path[1]}{self._naming(path[1])}: {'.'.join(str(part) for part in path[2:])}"
        else:
            where = ".".join(str(part) for part in path)
        self.lines.extend(f"{where}: {message}" for message in messages)

    def _naming(self, index):
        try:
            incident = self.records[int(index)]["incident"]
            return f" ({incident['source']} {incident['external_id']})" if incident.get("external_id") else ""
        except (ValueError, IndexError, KeyError, TypeError, AttributeError):
            return ""

    def add_django(self, path, error):
        """A Django ValidationError from a model's rules, under path, field by field."""
        if not hasattr(error, "error_dict"):
            self.add([*path, "non_field_errors"], error.messages)
            return
        for name, messages in error.message_dict.items():
            self.add([*path, "non_field_errors" if name == NON_FIELD_ERRORS else name], messages)

    def add_drf(self, path, detail):
        """DRF's nested errors (lists of per-item dicts, dicts of fields, lists of messages), by path."""
        if isinstance(detail, dict):
            for key, value in detail.items():
                self.add_drf([*path, key], value)
        elif isinstance(detail, list) and all(isinstance(item, str) for item in detail):
            if detail:
                self.add(path, list(detail))
        elif isinstance(detail, list):
            for index, item in enumerate(detail):
                if item:
                    self.add_drf([*path, index], item)
        else:
            self.add(path, [detail])

    def __bool__(self):
        return bool(self.lines)


class _Names:
    """The teams, services, people and root-cause classes a document names, each kind loaded in one query."""

    def __init__(self, records):
        teams, services, users, classes = set(), set(), set(), set()
        for record in records:
            incident, review = record["incident"], record.get("review") or {}
            teams.update(filter(None, [incident.get("team"), *incident.get("allowed_teams", [])]))
            services.update(incident.get("services", []))
            users.update(filter(None, [incident.get("commander"), incident.get("reporter")]))
            users.update(filter(None, (entry.get("author") for entry in incident.get("timeline", []))))
            users.update(filter(None, [review.get("owner"), review.get("facilitator"), *review.get("authors", [])]))
            classes.update(filter(None, [review.get("primary_class"), *review.get("secondary_classes", [])]))
            services.update(filter(None, (factor.get("service") for factor in review.get("factors", []))))
            for action in record.get("actions", []):
                teams.update(filter(None, [action.get("team")]))
                services.update(action.get("services", []))
                users.update(filter(None, [action.get("owner")]))
        self.teams = {team.slug: team for team in Team.objects.filter(slug__in=teams)}
        self.services = {
            service.slug: service for service in Service.objects.filter(slug__in=services).select_related("team")
        }
        self.users = {user.username: user for user in get_user_model().objects.filter(username__in=users)}
        self.classes = {}
        for cls in RootCauseClass.objects.filter(Q(slug__in=classes) | Q(name__in=classes)):
            self.classes[cls.name] = cls
            self.classes[cls.slug] = cls


class _Record:
    """One record, checked and built as unsaved model instances ready to write."""

    def __init__(self, index, data, names, errors):
        self.index, self.data, self.names, self.errors = index, data, names, errors
        self.path = ["records", index]
        self.incident = None
        self.services, self.allowed_teams, self.timeline = [], [], []
        self.review, self.published_at, self.authors, self.secondary_classes = None, None, [], []
        self.factors, self.links, self.actions = {}, [], []

    def fail(self, path, messages):
        self.errors.add([*self.path, *path], messages)

    def check(self, path, instance, *, exclude=()):
        """Run the model's field validators and clean() on an unsaved instance; relations are checked by name."""
        relations = [f.name for f in instance._meta.fields if f.is_relation]
        try:
            instance.full_clean(exclude=[*relations, *exclude], validate_unique=False, validate_constraints=False)
        except DjangoValidationError as error:
            self.errors.add_django([*self.path, *path], error)
            return False
        return True

    def one(self, kind, name, path, noun):
        if not name:
            return None
        found = getattr(self.names, kind).get(name)
        if found is None:
            self.fail(path, f"No {noun} “{name}”.")
        return found

    def many(self, kind, names, path, noun):
        found = [getattr(self.names, kind).get(name) for name in names]
        missing = [name for name, item in zip(names, found, strict=True) if item is None]
        if missing:
            self.fail(path, f"No {noun} “{'”, “'.join(missing)}”.")
        return [item for item in found if item is not None]

    # The parts, in the order they hang off each other.

    def build(self):
        self.build_incident()
        if self.data.get("review") is not None:
            self.build_review()
        elif self.data.get("actions"):
            self.fail(["actions"], "Actions come out of a review: add the review they belong to.")

    def build_incident(self):
        data = self.data["incident"]
        scalars = {
            name: value
            for name, value in data.items()
            if name not in {"team", "services", "commander", "reporter", "allowed_teams", "timeline"}
        }
        path = ["incident"]
        incident = Incident(
            **scalars,
            team=self.one("teams", data.get("team"), [*path, "team"], "team"),
            commander=self.one("users", data.get("commander"), [*path, "commander"], "user"),
            reporter=self.one("users", data.get("reporter"), [*path, "reporter"], "user"),
        )
        self.services = self.many("services", data.get("services", []), [*path, "services"], "service")
        self.allowed_teams = self.many("teams", data.get("allowed_teams", []), [*path, "allowed_teams"], "team")
        if self.check(path, incident):
            try:
                incident.clean_many_to_many({"allowed_teams": self.allowed_teams})
            except DjangoValidationError as error:
                self.errors.add_django([*self.path, *path], error)
        self.incident = incident
        for position, entry in enumerate(data.get("timeline", [])):
            event = TimelineEvent(
                incident=incident,
                occurred_at=entry["occurred_at"],
                kind=entry.get("kind", TimelineEvent._meta.get_field("kind").default),
                text=entry["text"],
                author=self.one("users", entry.get("author"), [*path, "timeline", position, "author"], "user"),
                source=f"import:{incident.source}"[:100],
            )
            self.check([*path, "timeline", position], event)
            self.timeline.append(event)

    def build_review(self):
        data, path = self.data["review"], ["review"]
        review = Review(
            incident=self.incident,
            **{name: data[name] for name in (*SECTION_FIELDS, "customers_affected", "requests_failed") if name in data},
            responder_hours=data.get("responder_hours"),
            owner=self.one("users", data.get("owner"), [*path, "owner"], "user"),
            facilitator=self.one("users", data.get("facilitator"), [*path, "facilitator"], "user"),
            primary_class=self.one("classes", data.get("primary_class"), [*path, "primary_class"], "root-cause class"),
            published_at=data.get("published_at"),
        )
        self.authors = self.many("users", data.get("authors", []), [*path, "authors"], "user")
        self.secondary_classes = self.many(
            "classes", data.get("secondary_classes", []), [*path, "secondary_classes"], "root-cause class"
        )
        if self.check(path, review):
            try:
                review.clean_many_to_many({"secondary_classes": self.secondary_classes, "authors": self.authors})
            except DjangoValidationError as error:
                self.errors.add_django([*self.path, *path], error)
        self.review = review
        self.build_factors(data.get("factors", []))
        self.build_links(data.get("links", []))
        status = data["status"]
        if status == ReviewStatus.PUBLISHED:
            if review.published_at is None:
                self.fail([*path, "published_at"], "Say when the review was published.")
            problems = review.publish_problems(factors=list(self.factors.values()))
            if problems:
                self.fail([*path, "status"], ["This review cannot be published.", *problems])
            # Written unpublished, then published through publish_review at its own time.
            self.published_at, review.published_at = review.published_at, None
        else:
            review.status = status
            if review.published_at is not None:
                self.fail([*path, "published_at"], "Only a published review has a publication time.")
        for position, action in enumerate(self.data.get("actions", [])):
            self.build_action(position, action)

    def build_factors(self, rows):
        for position, row in enumerate(rows):
            path = ["review", "factors", position]
            event = None
            if row.get("timeline_event") is not None:
                if row["timeline_event"] >= len(self.timeline):
                    self.fail([*path, "timeline_event"], "No such entry in the incident's timeline.")
                else:
                    event = self.timeline[row["timeline_event"]]
            factor = CausalFactor(
                review=self.review,
                kind=row.get("kind", CausalFactor._meta.get_field("kind").default),
                category=row.get("category", CausalFactor._meta.get_field("category").default),
                description=row["description"],
                is_symptom=row.get("is_symptom", False),
                is_root_cause=row.get("is_root_cause", False),
                service=self.one("services", row.get("service"), [*path, "service"], "service"),
                timeline_event=event,
            )
            self.check(path, factor)
            if row["key"] in self.factors:
                self.fail([*path, "key"], f"Another factor of this review is already named “{row['key']}”.")
            self.factors[row["key"]] = factor

    def build_links(self, rows):
        edges = []
        for position, row in enumerate(rows):
            path = ["review", "links", position]
            cause, effect = self.factors.get(row["cause"]), self.factors.get(row["effect"])
            for name in ("cause", "effect"):
                if self.factors.get(row[name]) is None:
                    self.fail([*path, name], f"No factor “{row[name]}” in this review.")
            if cause is None or effect is None:
                continue
            # The chart's rule, on the factors' keys: the review and its factors are not saved yet.
            problem = CausalLink.refusal(cause, effect, edges=edges, key=lambda factor: id(factor))
            if problem:
                self.fail([*path, "non_field_errors"], problem)
                continue
            edges.append((id(cause), id(effect)))
            self.links.append(CausalLink(review=self.review, cause=cause, effect=effect))

    def build_action(self, position, data):
        path = ["actions", position]
        team = self.one("teams", data.get("team"), [*path, "team"], "team")
        if team is None and not data.get("team"):
            team = self.incident.team or next((s.team for s in self.services if s.team_id), None)
            if team is None:
                self.fail([*path, "team"], "Name the team that owns this action (the incident has none).")
        opened_at = data.get("opened_at") or self.published_at or self.incident.resolved_at or timezone.now()
        action = ActionItem(
            review=self.review,
            category=data["category"],
            title=data["title"],
            description=data.get("description", ""),
            owner=self.one("users", data.get("owner"), [*path, "owner"], "user"),
            team=team,
            priority=data.get("priority", ActionItem._meta.get_field("priority").default),
            due_date=data.get("due_date")
            or default_due_date(
                category=data["category"], severity=self.incident.severity, start=timezone.localdate(opened_at)
            ),
            external_url=data.get("external_url", ""),
            opened_at=opened_at,
        )
        status, done_at, closed_at = data["status"], data.get("done_at"), data.get("closed_at")
        at = {Status.DONE: done_at, Status.WONT_DO: closed_at}.get(status)
        if status in (Status.DONE, Status.WONT_DO) and at is None:
            field_name = "done_at" if status == Status.DONE else "closed_at"
            self.fail([*path, field_name], f"Say when it was {'done' if status == Status.DONE else 'dropped'}.")
        for name, value in (("done_at", done_at), ("closed_at", closed_at)):
            if value is not None and value is not at:
                self.fail([*path, name], f"Only a {'done' if name == 'done_at' else 'dropped'} action has {name}.")
        try:
            action.apply_status(status, at=at, reason=data.get("wont_do_reason", ""))
        except DjangoValidationError as error:
            self.errors.add_django([*self.path, *path], error)
        self.check(path, action)
        factors = []
        for key in data.get("factors", []):
            if key not in self.factors:
                self.fail([*path, "factors"], f"No factor “{key}” in this review.")
            else:
                factors.append(self.factors[key])
        services = self.many("services", data.get("services", []), [*path, "services"], "service")
        self.actions.append((action, services, factors))

    def check_permission(self, user, refusals):
        """Add to refusals what user may not import here: a lead of the incident's team (or of a team owning
        an affected service) imports its incident and review; each action needs a responder of its team."""
        if not may_edit(
            user,
            team=self.incident.team,
            services=self.services,
            restricted=self.incident.restricted,
            allowed_teams=self.allowed_teams,
            minimum=Role.LEAD,
        ):
            refusals.add(
                [*self.path, "incident", "team"],
                "You need a lead role in the incident's team (or in the team of an affected service) to import it"
                + (
                    ", and a restricted incident must stay visible to one of your teams."
                    if self.incident.restricted
                    else "."
                ),
            )
        for position, (action, _services, _factors) in enumerate(self.actions):
            if action.team is not None and not has_team_role(user, action.team):
                refusals.add(
                    [*self.path, "actions", position, "team"],
                    f"You need a responder (or higher) role in team {action.team.slug} to add its actions.",
                )


def _existing_incidents(records):
    """{(source, external_id): Incident} of the records already imported: one query."""
    keys = {(record["incident"]["source"], record["incident"]["external_id"]) for record in records}
    found = Incident.objects.filter(external_id__in={external_id for _, external_id in keys}).prefetch_related(
        "allowed_teams"
    )
    return {
        (incident.source, incident.external_id): incident
        for incident in found
        if (incident.source, incident.external_id) in keys
    }


def check_document(document, *, by=None):
    """Check a whole import document and return ([_Record to write], [outcome of each record]).

    Raise ImportRefused naming every record and field at fault. With `by`, also refuse (forbidden) what
    that user may not import; without, everything is allowed (the operator's command line).
    """
    shape = ImportDocumentSerializer(data=document)
    raw = document.get("records") if isinstance(document, dict) else None
    errors = _Errors(raw)
    if not shape.is_valid():
        errors.add_drf([], shape.errors)
        raise ImportRefused(errors.tree, errors.lines)
    records = shape.validated_data["records"]
    names = _Names(records)
    existing = _existing_incidents(records)
    seen, planned, outcomes = {}, [], []
    for index, data in enumerate(records):
        key = (data["incident"]["source"], data["incident"]["external_id"])
        outcome = {"index": index, "source": key[0], "external_id": key[1]}
        if key in seen:
            errors.add(
                ["records", index, "incident", "external_id"],
                f"Record {seen[key]} has the same source and external_id.",
            )
            continue
        seen[key] = index
        twin = existing.get(key)
        if twin is not None:
            shown = by is None or twin.is_visible_to(by)
            outcomes.append({**outcome, "result": "skipped", "reference": twin.reference if shown else None})
            continue
        record = _Record(index, data, names, errors)
        record.build()
        planned.append(record)
        outcomes.append({**outcome, "result": "created", "reference": None})
    if errors:
        raise ImportRefused(errors.tree, errors.lines)
    if by is not None:
        refusals = _Errors(raw)
        for record in planned:
            record.check_permission(by, refusals)
        if refusals:
            raise ImportRefused(refusals.tree, refusals.lines, forbidden=True)
    return planned, outcomes


# --- Writing ----------------------------------------------------------------------------


class _DryRun(Exception):
    """Rolls a checked and written import back, carrying what it would have done."""


def import_reviews(document, *, by=None, check_permissions=True, dry_run=False):
    """Import every record of document, or none (ImportRefused); return an ImportResult.

    `by` is recorded as who did it (history, the reviews' publisher) and, with check_permissions, must be
    allowed to import each record (see _Record.check_permission). Records imported before are skipped.
    With dry_run, everything is written and rolled back: the result says what an import would do.
    """
    try:
        with transaction.atomic():
            result = _import(document, by=by, check_permissions=check_permissions)
            if dry_run:
                raise _DryRun(result)
    except _DryRun as rolled_back:
        return rolled_back.args[0]
    return result


def _import(document, *, by, check_permissions):
    planned, outcomes = check_document(document, by=by if check_permissions else None)
    counts = dict.fromkeys(("incidents", "timeline_events", "reviews", "factors", "links", "actions"), 0)
    reason = IMPORTED
    # An incident and a review are saved one by one, so everything that follows a new one (search
    # index, deploy correlation, rollups) is queued as for one made in the page; what hangs off them
    # is written in bulk: those follow-ups read it after commit.
    for record in planned:
        incident = record.incident
        incident._history_user, incident._change_reason = by, reason
        incident.save()
    _add_many(Incident.services.through, "incident", "service", ((r.incident, r.services) for r in planned))
    _add_many(Incident.allowed_teams.through, "incident", "team", ((r.incident, r.allowed_teams) for r in planned))
    events = TimelineEvent.objects.bulk_create([event for record in planned for event in record.timeline])
    reviewed = [record for record in planned if record.review is not None]
    for record in reviewed:
        review = record.review
        review._history_user, review._change_reason = by, reason
        # A review to publish gets its one history record from publish_review, with its authors and classes.
        review.skip_history_when_saving = record.published_at is not None
        review.save()
        del review.skip_history_when_saving
    _add_many(Review.authors.through, "review", "user", ((r.review, r.authors) for r in reviewed))
    _add_many(
        Review.secondary_classes.through,
        "review",
        "rootcauseclass",
        ((r.review, r.secondary_classes) for r in reviewed),
    )
    factors = _with_history(CausalFactor, [f for r in reviewed for f in r.factors.values()], by)
    links = _with_history(CausalLink, [link for r in reviewed for link in r.links], by)
    actions = _with_history(ActionItem, [action for r in reviewed for action, _s, _f in r.actions], by)
    _add_many(
        ActionItem.services.through, "actionitem", "service", ((a, s) for r in reviewed for a, s, _f in r.actions)
    )
    _add_many(
        ActionItem.factors.through, "actionitem", "causalfactor", ((a, f) for r in reviewed for a, _s, f in r.actions)
    )
    for record in reviewed:
        if record.published_at is not None:
            publish_review(record.review, by=by, at=record.published_at)
    by_index = {record.index: record for record in planned}
    for outcome in outcomes:
        if outcome["result"] == "created":
            outcome["reference"] = by_index[outcome["index"]].incident.reference
    counts.update(
        incidents=len(planned),
        timeline_events=len(events),
        reviews=len(reviewed),
        factors=len(factors),
        links=len(links),
        actions=len(actions),
    )
    return ImportResult(outcomes=outcomes, counts=counts)


def _with_history(model, objects, by):
    if not objects:
        return []
    return bulk_create_with_history(objects, model, default_user=by, default_change_reason=IMPORTED)


def _add_many(through, owner, target, pairs):
    """Bulk-insert many-to-many rows: pairs of (saved owner, [targets])."""
    rows = [
        through(**{f"{owner}_id": item.pk, f"{target}_id": other.pk})
        for item, others in pairs
        for other in dict.fromkeys(others)
    ]
    through.objects.bulk_create(rows)
