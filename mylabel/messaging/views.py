"""Messaging pages (DESIGN.md §2.6): the inbox, one conversation with its composer, starting a
conversation from a profile or a booking, and the permission-checked attachment download.

Everything works as plain GET/POST + redirect; htmx enhances the composer (the new message is
appended, the composer comes back empty) and "Load earlier messages" (older messages are swapped
in above). The real-time layer (consumers) is separate and renders the same ``message`` partial.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.bookings.selectors import get_booking_for
from mylabel.core.forms import add_service_error
from mylabel.core.htmx import HtmxHttpRequest
from mylabel.messaging import services
from mylabel.messaging.forms import MessageForm
from mylabel.messaging.models import Conversation, Message, direct_key_for
from mylabel.messaging.realtime import EMPTY_LIST_GONE, append_swap
from mylabel.messaging.selectors import (
    attachment_response,
    get_attachment_for,
    get_conversation_for,
    message_page,
    other_participants,
    seen_message_id,
)

INBOX_TEMPLATE = "messaging/inbox.html"
CONVERSATION_TEMPLATE = "messaging/conversation.html"
START_TEMPLATE = "messaging/start.html"
CONVERSATIONS_PER_PAGE = 30


def _viewer(request: HtmxHttpRequest) -> User:
    # Every view here is behind login_required, so the user is a real account.
    assert isinstance(request.user, User)
    return request.user


@login_required
@require_safe
@vary_on_headers("HX-Request")
def inbox(request: HtmxHttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    paginator = Paginator(Conversation.objects.for_inbox(viewer.pk), CONVERSATIONS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, INBOX_TEMPLATE, {"page": page, "viewer": viewer})


def _parse_before(value: str | None) -> int | None:
    try:
        before = int(value or "")
    except ValueError:
        return None
    return before if before > 0 else None


def _conversation_context(
    request: HtmxHttpRequest,
    conversation: Conversation,
    *,
    form: MessageForm | None = None,
    before: int | None = None,
) -> dict[str, Any]:
    viewer = _viewer(request)
    others = other_participants(conversation, viewer)
    page = message_page(conversation, before=before)
    # "Seen" goes under the newest of my messages that the others have read (when they share
    # read receipts).
    marker = seen_message_id(others)
    seen = [m.pk for m in page.messages if m.sender_id == viewer.pk and marker and m.pk <= marker]
    return {
        "conversation": conversation,
        "others": others,
        "viewer": viewer,
        "page": page,
        "before": before,
        "seen_id": max(seen, default=None),
        "form": form or MessageForm(),
    }


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def conversation_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The history (newest PAGE_SIZE, or the page before ``?before=<id>``) and the composer.
    Viewing the newest page marks the conversation read."""
    viewer = _viewer(request)
    conversation = get_conversation_for(viewer, pk)
    if request.method == "POST":
        return _send(request, conversation)
    before = _parse_before(request.GET.get("before"))
    if request.htmx and before is not None:
        context = _conversation_context(request, conversation, before=before)
        return render(request, f"{CONVERSATION_TEMPLATE}#message-page", context)
    if before is None:
        services.mark_read(conversation=conversation, user=viewer)
    context = _conversation_context(request, conversation, before=before)
    return render(request, CONVERSATION_TEMPLATE, context)


def _send(request: HtmxHttpRequest, conversation: Conversation) -> HttpResponse:
    viewer = _viewer(request)
    form = MessageForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            message = services.send_message(
                conversation=conversation,
                sender=viewer,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            add_service_error(form, error)
            if getattr(error, "code", None) == "rate_limited":
                status = 429
        else:
            if request.htmx:
                return _sent_fragments(request, conversation, message)
            return redirect(f"{conversation.get_absolute_url()}#message-{message.pk}")
    if request.htmx:
        # htmx swaps only 2xx answers: the composer comes back with its errors and nothing saved.
        context = {"conversation": conversation, "form": form, "viewer": viewer}
        return render(request, f"{CONVERSATION_TEMPLATE}#composer", context)
    context = _conversation_context(request, conversation, form=form)
    return render(request, CONVERSATION_TEMPLATE, context, status=status)


def _sent_fragments(
    request: HtmxHttpRequest, conversation: Conversation, message: Message
) -> HttpResponse:
    """An empty composer, plus the new message appended to #message-list out of band."""
    message = Message.objects.for_display().get(pk=message.pk)
    context = {
        "conversation": conversation,
        "form": MessageForm(),
        "viewer": _viewer(request),
        "message": message,
    }
    composer = render_to_string(f"{CONVERSATION_TEMPLATE}#composer", context, request)
    appended = render_to_string(f"{CONVERSATION_TEMPLATE}#message", context, request)
    # The real-time push may reach the sender's page before this answer: append_swap's selector
    # then matches nothing and htmx skips the append, so the message shows once.
    html = f'{composer}<div hx-swap-oob="{append_swap(message.pk)}">{appended}</div>'
    if not conversation.messages.filter(pk__lt=message.pk).exists():
        html += EMPTY_LIST_GONE  # the first message: "No messages yet" goes
    return HttpResponse(html)


@login_required
@require_safe
def attachment_download(request: HtmxHttpRequest, pk: int) -> FileResponse:
    """The file, to participants only (404 for anyone else), always as a download with the
    type detected at upload, so a browser never renders it as a page of our site."""
    return attachment_response(get_attachment_for(_viewer(request), pk))


def _start(request: HtmxHttpRequest, other: User, name: str, back_url: str) -> HttpResponse:
    viewer = _viewer(request)
    if other.pk == viewer.pk:
        messages.info(request, _("This is your own profile."))
        return redirect(back_url)
    existing = Conversation.objects.involving(viewer.pk).filter(
        direct_key=direct_key_for(viewer.pk, other.pk)
    )
    conversation = existing.first()
    if conversation is None and request.method == "POST":
        try:
            conversation = services.start_direct_conversation(user=viewer, other=other)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(back_url)
    if conversation is not None:
        return redirect(conversation)
    # GET without a conversation yet (e.g. back from logging in): a button, since starting one
    # is a write.
    return render(request, START_TEMPLATE, {"name": name, "back_url": back_url})


@login_required
@require_http_methods(["GET", "POST"])
def message_artist(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    artist = get_object_or_404(Artist.objects.listed().select_related("user"), slug=slug)
    return _start(request, artist.user, artist.stage_name, artist.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def message_associate(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    associate = get_object_or_404(Associate.objects.listed().select_related("user"), slug=slug)
    return _start(request, associate.user, associate.display_name, associate.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def booking_conversation(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The booking's conversation, for its artist and its professional only (label admins can
    see a booking but are not in its conversation)."""
    viewer = _viewer(request)
    booking = get_booking_for(viewer, pk, write=True)
    if viewer.pk not in {booking.artist.user_id, booking.associate.user_id}:
        raise Http404
    conversation = Conversation.objects.filter(booking=booking).first()
    if conversation is None and request.method == "POST":
        conversation = services.conversation_for_booking(booking=booking)
    if conversation is not None:
        return redirect(conversation)
    name = _("booking: %(service)s") % {"service": booking.service.name}
    return render(request, START_TEMPLATE, {"name": name, "back_url": booking.get_absolute_url()})
