from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Actions"

    def ready(self):
        from actions.panels import coverage_context
        from core.panels import register_panel
        from postmortems.signals import review_published

        register_panel(
            "review_detail_main",
            "actions/inc/_review_coverage.html",
            context=coverage_context,
            order=10,
            stylesheet="hindsight/actions.css",
        )

        review_published.connect(queue_effectiveness_check, dispatch_uid="actions.queue_effectiveness_check")


def queue_effectiveness_check(sender, review, **kwargs):
    """A newly published review may be a recurrence of some action's failure class: check them once it commits.

    Queued by class: twenty reviews of one class published in one transaction (an import, the demo) check
    that class's actions once.
    """
    from actions.tasks import verify_action_effectiveness

    verify_action_effectiveness.delay_on_commit(class_id=review.primary_class_id)
