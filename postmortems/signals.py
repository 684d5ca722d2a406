from django.dispatch import Signal

# Sent when a review is published, inside the publishing transaction, with `review`. A receiver's side
# effects belong after the commit: queue them with delay_on_commit (a rollback then drops them, and
# many reviews published in one transaction queue each distinct task once).
review_published = Signal()
