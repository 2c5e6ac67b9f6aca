from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "mylabel.messaging"
    label = "messaging"

    def ready(self) -> None:
        # Real-time pushes to open conversation pages (messaging.realtime), after the commit.
        from mylabel.messaging import realtime
        from mylabel.messaging.signals import conversation_read, message_sent

        message_sent.connect(realtime.broadcast_message, dispatch_uid="messaging.realtime.message")
        conversation_read.connect(realtime.broadcast_read, dispatch_uid="messaging.realtime.read")
