"""Domain events of the messaging app, sent by ``messaging.services`` after the commit.

``message_sent``: ``message=`` (the saved Message, attachments included).
``conversation_read``: ``conversation=``, ``user=`` (who read) and ``message=`` (the newest
message they have now read).
The real-time layer and notifications subscribe in their own ``apps.py``.
"""

from django.dispatch import Signal

message_sent = Signal()
conversation_read = Signal()
