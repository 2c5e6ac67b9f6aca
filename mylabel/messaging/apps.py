from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "mylabel.messaging"
    label = "messaging"
