from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Manufacturer, ManufacturerMembership, Reseller, ResellerMembership, User


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
