from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Development data: ``seed_scale`` (bulk profiles for benchmarks). No models."""

    name = "mylabel.demo"
    label = "demo"
