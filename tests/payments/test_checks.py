import pytest

from mylabel.payments.checks import check_payment_settings


@pytest.mark.parametrize("fee", ["10", "12.5", "0", 100])
def test_a_sensible_platform_fee_passes_the_checks(settings, fee):
    settings.PLATFORM_FEE_PERCENT = fee
    settings.STRIPE_SECRET_KEY = ""
    assert check_payment_settings() == []


@pytest.mark.parametrize("fee", ["ten", "-1", "101", "NaN", ""])
def test_a_platform_fee_that_is_not_a_percentage_is_a_start_up_error(settings, fee):
    settings.PLATFORM_FEE_PERCENT = fee
    assert [problem.id for problem in check_payment_settings()] == ["payments.E001"]


def test_stripe_without_a_webhook_secret_is_warned_about(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.STRIPE_WEBHOOK_SECRET = ""
    assert [problem.id for problem in check_payment_settings()] == ["payments.W001"]
    settings.STRIPE_WEBHOOK_SECRET = "whsec_x"
    assert check_payment_settings() == []
