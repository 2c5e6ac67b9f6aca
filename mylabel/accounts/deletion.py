"""Deleting an account (DESIGN.md §2.1): the person disappears, other people's history stays.

The account row is kept and anonymised rather than deleted, because bookings and payments (the
money history both sides and the label must keep) point at it with ``PROTECT``, and messages
and reviews stay readable by the other side, now shown as by "Former member":

- refused while a booking is still in progress (requested, accepted, paid but not completed,
  or disputed): cancelling someone else's booking as a side effect of deleting an account
  would surprise them and move money, so the person settles or cancels it first;
- the account: e-mail ``deleted-<id>@invalid`` (unique, undeliverable), display name "Former
  member", avatar removed, unusable password (which also ends every session: Django checks a
  session against the password's hash), inactive (cannot log in, hidden from the directory);
  allauth's e-mail addresses are removed so the address can sign up again;
- every other app clears its own data through ``account_deleted`` (profiles anonymised and
  hidden, API tokens and push subscriptions deleted);
- kept as they are: bookings, payments, refunds, messages, reviews and their ratings.

All of it happens in one transaction: any refusal or failure leaves the account untouched.
"""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mylabel.accounts.models import User
from mylabel.accounts.signals import account_deleted, account_deletion_requested

# Stored in the database (not translated per viewer): what others see instead of the name.
FORMER_MEMBER_NAME = "Former member"
# Translatable label of the same, for pages that want it in the viewer's language.
FORMER_MEMBER = gettext_lazy("Former member")


def deleted_email(user: User) -> str:
    """A unique address that can never receive mail (``.invalid`` is reserved, RFC 2606)."""
    return f"deleted-{user.pk}@invalid"


def is_deleted(user: User) -> bool:
    return user.email == deleted_email(user)


@transaction.atomic
def delete_account(*, user: User, password: str) -> User:
    """Anonymise ``user`` after checking ``password`` (their current one). Raises
    ``ValidationError`` (wrong password, already deleted, a booking in progress) with nothing
    changed. The caller logs the current session out."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if is_deleted(user) or not user.is_active:
        raise ValidationError(_("This account has already been deleted."), code="deleted")
    if not user.has_usable_password() or not check_password(password, user.password):
        raise ValidationError({"password": _("That is not your current password.")})
    account_deletion_requested.send(sender=User, user=user)

    old_avatar_name = user.avatar.name if user.avatar else ""
    user.email = deleted_email(user)
    user.display_name = FORMER_MEMBER_NAME
    user.avatar = None
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    EmailAddress.objects.filter(user=user).delete()
    if old_avatar_name:
        storage = user.avatar.storage
        transaction.on_commit(lambda: storage.delete(old_avatar_name))
    account_deleted.send(sender=User, user=user)
    return user
