from django.apps import AppConfig


class ComponentsConfig(AppConfig):
    """Presentational template pieces; they render what they are given and never query."""

    name = "mylabel.components"
    label = "components"
