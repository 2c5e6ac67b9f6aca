"""Gateway webhooks. Stripe signs each delivery; an unverifiable one gets a 400 and changes
nothing, a verified one is applied once (replays answer 200)."""

import logging

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from mylabel.payments.gateways import WebhookError, get_gateway
from mylabel.payments.services import EventNotReady, handle_stripe_event

logger = logging.getLogger(__name__)


@csrf_exempt  # Stripe cannot send a CSRF token; the signature authenticates the request.
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    try:
        event = get_gateway("stripe").parse_webhook(
            request.body, request.headers.get("Stripe-Signature", "")
        )
    except WebhookError as error:
        logger.warning("Refused a Stripe webhook: %s", error)
        return JsonResponse({"error": str(error)}, status=400)
    try:
        processed = handle_stripe_event(event=event)
    except EventNotReady as error:
        # Not a 2xx: Stripe retries later, by when the event it depends on has arrived.
        logger.info("Stripe event %s (%s) deferred: %s", event.id, event.type, error)
        return JsonResponse(
            {"error": "An earlier event has not arrived yet; retry later.", "retry": True},
            status=409,
        )
    return JsonResponse({"received": True, "duplicate": not processed})
