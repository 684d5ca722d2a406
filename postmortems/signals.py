from django.dispatch import Signal

# Sent after a review is published (on commit), with `review`.
review_published = Signal()
