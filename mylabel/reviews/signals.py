"""Domain events of the reviews app, sent by ``reviews.services`` after the commit.

``review_submitted``: ``review=`` (the Review just written, maybe still blind). Sentiment scoring
subscribes to it.
``review_published``: ``review=`` (a Review that has just become public, out of its blind
period). The reviewee's e-mail subscribes to it.

Subscribers connect in their own ``apps.py``; the reviews app never imports them.
"""

from django.dispatch import Signal

review_submitted = Signal()
review_published = Signal()
