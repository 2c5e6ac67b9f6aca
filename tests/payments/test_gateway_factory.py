from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from mylabel.payments.gateways import OfflineGateway, StripeGateway, get_gateway
from mylabel.payments.gateways.stripe import from_minor_units, to_minor_units


def test_without_a_stripe_key_the_offline_gateway_is_used(settings):
    settings.STRIPE_SECRET_KEY = ""
    assert isinstance(get_gateway(), OfflineGateway)


def test_with_a_stripe_key_stripe_is_used_with_the_configured_secrets(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_x"
    gateway = get_gateway()
    assert isinstance(gateway, StripeGateway)
    assert (gateway.secret_key, gateway.webhook_secret) == ("sk_test_x", "whsec_x")


def test_an_existing_payment_keeps_its_own_gateway_whatever_the_setting(settings):
    settings.STRIPE_SECRET_KEY = ""
    assert isinstance(get_gateway("stripe"), StripeGateway)
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    assert isinstance(get_gateway("offline"), OfflineGateway)


def test_an_unknown_gateway_name_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        get_gateway("paypal")


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        (Decimal("12.34"), "EUR", 1234),
        (Decimal("0.10"), "eur", 10),
        (Decimal("80.00"), "USD", 8000),
        (Decimal("1000"), "JPY", 1000),
        (Decimal("99999999.99"), "EUR", 9999999999),
    ],
)
def test_amounts_go_to_stripe_in_exact_minor_units(amount, currency, minor):
    assert to_minor_units(amount, currency) == minor
    assert from_minor_units(minor, currency) == amount


def test_an_amount_finer_than_the_currency_allows_is_refused():
    with pytest.raises(ValueError, match="decimals"):
        to_minor_units(Decimal("10.5"), "JPY")
    with pytest.raises(ValueError, match="decimals"):
        to_minor_units(Decimal("10.005"), "EUR")
