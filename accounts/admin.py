from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from accounts.models import Manufacturer, ManufacturerMembership, Reseller, ResellerMembership, User
from core.http import safe_next


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class MembershipInline(admin.TabularInline):
    model = ManufacturerMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Manufacturer)
class ManufacturerAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "currency", "default_commission_rate"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Reseller)
class ResellerAdmin(admin.ModelAdmin):
    list_display = ["public_id", "name", "reseller_type", "region", "public_email"]
    search_fields = ["public_id", "name", "public_email"]
    list_filter = ["reseller_type", "region"]
    readonly_fields = ["public_id"]


@admin.register(ResellerMembership)
class ResellerMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "reseller"]
    raw_id_fields = ["user", "reseller"]


class PortalAdminSite(OTPAdminSite):
    """The admin for platform operators: staff who logged in with their second factor
    (django-otp's OTPAdminSite). Logging in is the portal's own two-step login."""

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        next_url = safe_next(request, None) or "/admin/"
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(next_url)
            raise PermissionDenied(_("The admin is for platform staff with two-factor login."))
        return redirect_to_login(next_url)
