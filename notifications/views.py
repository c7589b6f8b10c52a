"""A user's notifications across every organisation they belong to, and their preferences.

These pages belong to the user, not to one tenant, so they live outside /m/ and /r/: every
query filters by `request.user`, and the preferences page resolves the manufacturer among the
user's own memberships (404 for any other).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.tenancy import UserRequest
from core.http import safe_next
from core.listing import paginate
from notifications import selectors, services
from notifications.forms import PreferencesForm
from notifications.models import NotificationChannel


@login_required
@require_GET
def notification_list(request: UserRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    rows = selectors.notification_list(user=request.user, unread_only=unread_only)
    context = {
        "page_obj": paginate(request, rows),
        "unread_only": unread_only,
        "has_preferences": bool(selectors.preference_tenants(user=request.user)),
    }
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def notification_read(request: UserRequest, notification_id: int) -> HttpResponse:
    notification = selectors.notification_list(user=request.user).filter(pk=notification_id).first()
    if notification is None:
        raise Http404(_("No such notification."))
    services.notification_mark_read(user=request.user, notification_id=notification.pk)
    # The user's own page across tenants: the stored link may go to any of their portals.
    target = safe_next(request, None, candidate=notification.url or "")
    if request.POST.get("open") and target:
        return redirect(target)
    if request.htmx:
        notification.refresh_from_db()
        response = render(
            request, "notifications/list.html#notification-item", {"notification": notification}
        )
        response["HX-Trigger"] = "notificationsRead"
        return response
    return redirect("notifications_public:list")


@login_required
@require_POST
def notification_read_all(request: UserRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(
        request,
        _("%(count)d notifications marked as read.") % {"count": count}
        if count
        else _("Nothing was unread."),
    )
    return redirect("notifications_public:list")


@login_required
@require_GET
def preferences_index(request: UserRequest) -> HttpResponse:
    tenants = selectors.preference_tenants(user=request.user)
    if not tenants:
        return render(request, "notifications/preferences.html", {"form": None})
    return redirect(
        "notifications_public:preferences", manufacturer_slug=tenants[0].manufacturer.slug
    )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: UserRequest, manufacturer_slug: str) -> HttpResponse:
    tenant = selectors.access_preference_tenant(user=request.user, slug=manufacturer_slug)
    manufacturer = tenant.manufacturer
    form = PreferencesForm(
        request.POST or None,
        initial_channels=selectors.preference_choices(
            user=request.user, manufacturer=manufacturer, kinds=tenant.kinds
        ),
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_save(
            user=request.user, manufacturer=manufacturer, channels=form.channels()
        )
        messages.success(
            request,
            _("Your notification preferences for %(name)s are saved.") % {"name": manufacturer},
        )
        return redirect(
            reverse(
                "notifications_public:preferences", kwargs={"manufacturer_slug": manufacturer.slug}
            )
        )
    context = {
        "form": form,
        "manufacturer": manufacturer,
        "tenants": selectors.preference_tenants(user=request.user),
        "channel_choices": NotificationChannel.choices,
    }
    return render(
        request, "notifications/preferences.html", context, status=400 if form.errors else 200
    )
