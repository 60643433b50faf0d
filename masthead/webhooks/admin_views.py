"""Settings → Integrations in the admin, ``/admin/integrations/…`` (docs/webhooks.md).

Integrations (their keys and scopes), each one's webhooks, every webhook's
delivery log and its "Send test" button. Keys are shown once, on the page
that answers their creation or rotation; a webhook's signing secret is on
its own page, as receivers need it to check signatures. Every screen needs
``webhooks.manage_integrations`` (superusers have it; grant it to a group
of developers rather than making them superusers); every change is a POST
behind Django's CSRF check.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from masthead.api.models import Integration

from . import sending, services
from .forms import IntegrationForm, WebhookForm
from .models import MANAGE_PERMISSION, Webhook

LOG_ROWS_PER_PAGE = 50
# Ids past this are no row (and would overflow the database's integer).
MAX_ID = 2**31 - 1


def _require_manager(request: HttpRequest, *ids: int) -> None:
    """Refuse staff without the permission; 404 for ids no row can have."""
    if not request.user.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied
    if any(pk > MAX_ID for pk in ids):
        raise Http404("No such object")


def integration_list(request: HttpRequest) -> HttpResponse:
    """Every integration, with its webhooks counted."""
    _require_manager(request)
    integrations = Integration.objects.annotate(webhook_count=Count("webhooks"))
    context = {"integrations": list(integrations.order_by("name"))}
    return TemplateResponse(request, "webhooks/admin/integration_list.html", context)


def _keys_page(request: HttpRequest, integration: Integration) -> HttpResponse:
    """The keys, shown in the answer to the POST that made them, and not kept
    on any other page."""
    # Wagtail's admin marks every answer ``no-store`` (tested).
    return TemplateResponse(
        request, "webhooks/admin/keys.html", {"integration": integration}
    )


def integration_add(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = IntegrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        integration = services.save_integration(form.save(commit=False))
        messages.success(request, _("The integration is added."))
        return _keys_page(request, integration)
    return TemplateResponse(
        request, "webhooks/admin/integration_form.html", {"form": form}
    )


def integration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Name, scopes, active; its webhooks listed below."""
    _require_manager(request, pk)
    integration = get_object_or_404(Integration, pk=pk)
    form = IntegrationForm(request.POST or None, instance=integration)
    if request.method == "POST" and form.is_valid():
        services.save_integration(form.save(commit=False))
        messages.success(request, _("The integration is saved."))
        return redirect("webhooks_admin:integration", pk=pk)
    context = {
        "integration": integration,
        "form": form,
        "webhooks": list(integration.webhooks.order_by("event", "pk")),
    }
    return TemplateResponse(request, "webhooks/admin/integration_form.html", context)


@require_POST
def integration_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request, pk)
    integration = services.rotate_keys(get_object_or_404(Integration, pk=pk))
    messages.success(request, _("New keys are made; the old ones no longer work."))
    return _keys_page(request, integration)


def webhook_add(request: HttpRequest, integration_pk: int) -> HttpResponse:
    _require_manager(request, integration_pk)
    integration = get_object_or_404(Integration, pk=integration_pk)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        webhook = form.save(commit=False)
        webhook.integration = integration
        services.save_webhook(webhook)
        messages.success(request, _("The webhook is added."))
        return redirect("webhooks_admin:webhook", pk=webhook.pk)
    context = {"integration": integration, "form": form}
    return TemplateResponse(request, "webhooks/admin/webhook_form.html", context)


def webhook_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The webhook's settings, secret and delivery log (newest first)."""
    _require_manager(request, pk)
    webhook = get_object_or_404(Webhook.objects.select_related("integration"), pk=pk)
    form = WebhookForm(request.POST or None, instance=webhook)
    if request.method == "POST" and form.is_valid():
        services.save_webhook(form.save(commit=False))
        messages.success(request, _("The webhook is saved."))
        return redirect("webhooks_admin:webhook", pk=pk)
    log = Paginator(
        webhook.deliveries.order_by("-created_at", "-pk"), LOG_ROWS_PER_PAGE
    )
    context = {
        "integration": webhook.integration,
        "webhook": webhook,
        "form": form,
        "page_obj": log.get_page(request.GET.get("p")),
    }
    return TemplateResponse(request, "webhooks/admin/webhook_form.html", context)


@require_POST
def webhook_test(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a ``ping`` now and say how the receiver answered."""
    _require_manager(request, pk)
    webhook = get_object_or_404(Webhook, pk=pk)
    delivery = sending.send_test(webhook)
    if delivery.succeeded:
        messages.success(
            request,
            _("The test was delivered: HTTP %(status)s in %(ms)s ms.")
            % {"status": delivery.status_code, "ms": delivery.duration_ms},
        )
    else:
        messages.error(
            request,
            _("The test was not delivered: %(error)s") % {"error": delivery.error},
        )
    return redirect("webhooks_admin:webhook", pk=pk)


@require_POST
def webhook_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request, pk)
    services.rotate_secret(get_object_or_404(Webhook, pk=pk))
    messages.success(
        request, _("A new signing secret is made: give it to the receiver.")
    )
    return redirect("webhooks_admin:webhook", pk=pk)


@require_POST
def webhook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request, pk)
    webhook = get_object_or_404(Webhook, pk=pk)
    integration_pk = webhook.integration_id
    services.delete_webhook(webhook)
    messages.success(request, _("The webhook is deleted."))
    return redirect("webhooks_admin:integration", pk=integration_pk)
