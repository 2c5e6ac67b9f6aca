import base64
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def new_vapid_keys() -> tuple[str, str]:
    """A fresh P-256 key pair as Web Push wants it: the public key as the uncompressed point
    (what browsers take as ``applicationServerKey``), the private key as its raw 32 bytes."""
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(public), b64url(private.private_numbers().private_value.to_bytes(32, "big"))


class Command(BaseCommand):
    help = (
        "Print a new VAPID key pair for Web Push, as environment lines. Set both on every "
        "process; changing them later invalidates every browser's subscription."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        public, private = new_vapid_keys()
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}\nVAPID_PRIVATE_KEY={private}")
