"""Playbooks and runbooks as search documents: title, symptoms and alert names weigh most (see core.search).

Each kind is its own document type, so results group them apart; a playbook whose kind changes
leaves one type and joins the other (the feed of each type yields only its own kind).
"""

from core import search
from core.signals import on_relation_changes, on_row_changes
from playbooks.choices import Kind
from playbooks.models import Playbook


def _documents_of(kind):
    def documents(ids):
        for playbook in Playbook.objects.filter(pk__in=ids, kind=kind).prefetch_related("services", "classes"):
            yield search.Document(
                doc_type=kind,
                object_id=playbook.pk,
                url=playbook.get_absolute_url(),
                reference=playbook.slug,
                title=playbook.title,
                keywords="\n".join([*playbook.symptoms, *playbook.alert_names]),
                summary=playbook.summary,
                body="\n".join(
                    [
                        playbook.suspects,
                        playbook.validation,
                        playbook.body,
                        playbook.warnings,
                        *(cls.name for cls in playbook.classes.all()),
                    ]
                ),
                services=[service.slug for service in playbook.services.all()],
                occurred_at=playbook.updated_at,
            )

    return documents


def _queue(playbook_id):
    for kind in Kind:
        search.queue_reindex(kind.value, playbook_id)


def connect():
    for kind, label in ((Kind.PLAYBOOK, "Playbooks"), (Kind.RUNBOOK, "Runbooks")):
        search.register_feed(
            kind.value,
            label=label,
            documents=_documents_of(kind.value),
            rows=Playbook.objects.filter(kind=kind),
        )
    on_row_changes(Playbook, _queue, dispatch_uid="playbooks.search")
    on_relation_changes((Playbook.services.through, Playbook.classes.through), _queue, dispatch_uid="playbooks.search")
