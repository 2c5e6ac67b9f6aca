from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "mylabel.onboarding"
    label = "onboarding"
