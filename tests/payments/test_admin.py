from decimal import Decimal

import pytest

from mylabel.payments.models import Payment

pytestmark = pytest.mark.django_db


def test_staff_can_read_payments_in_the_admin_but_not_change_them(admin_client, artist, associate):
    payment = Payment.objects.create(
        payer=artist, payee=associate, gateway="offline", description="Mixing", amount=Decimal("5")
    )
    assert admin_client.get("/admin/payments/payment/").status_code == 200
    page = admin_client.get(f"/admin/payments/payment/{payment.pk}/change/")
    assert page.status_code == 200
    assert b'name="amount"' not in page.content  # read-only: services make every change
    assert admin_client.get("/admin/payments/payment/add/").status_code == 403
    assert admin_client.post(f"/admin/payments/payment/{payment.pk}/delete/").status_code == 403
    assert admin_client.get("/admin/payments/processedwebhookevent/").status_code == 200
