"""/api/v1/: the schema, its browsable docs, and the manufacturer's and reseller's resources."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from api.views import manufacturer, programs, reseller

app_name = "api_v1"

manufacturer_router = SimpleRouter(use_regex_path=False)
manufacturer_router.register("resellers", manufacturer.PartnershipViewSet, basename="m-reseller")
manufacturer_router.register("orders", manufacturer.OrderViewSet, basename="m-order")
manufacturer_router.register("categories", manufacturer.CategoryViewSet, basename="m-category")
manufacturer_router.register("products", manufacturer.ProductViewSet, basename="m-product")
manufacturer_router.register(
    "qualifications", manufacturer.QualificationViewSet, basename="m-qualification"
)
manufacturer_router.register(
    "conversations", manufacturer.ConversationViewSet, basename="m-conversation"
)
manufacturer_router.register(
    "commissions", programs.CommissionEntryViewSet, basename="m-commission"
)
manufacturer_router.register("payouts", programs.PayoutRequestViewSet, basename="m-payout")
manufacturer_router.register("tiers", programs.TierViewSet, basename="m-tier")
manufacturer_router.register("offers", programs.OfferViewSet, basename="m-offer")

reseller_router = SimpleRouter(use_regex_path=False)
reseller_router.register(
    "partnerships", reseller.ResellerPartnershipViewSet, basename="r-partnership"
)
reseller_router.register("orders", reseller.ResellerAllOrdersViewSet, basename="r-all-order")
reseller_router.register("customers", reseller.EndCustomerViewSet, basename="r-customer")

reseller_partner_router = SimpleRouter(use_regex_path=False)
reseller_partner_router.register("orders", reseller.ResellerOrderViewSet, basename="rp-order")
reseller_partner_router.register(
    "categories", reseller.ResellerCategoryViewSet, basename="rp-category"
)
reseller_partner_router.register("products", reseller.ResellerProductViewSet, basename="rp-product")
reseller_partner_router.register(
    "qualifications", reseller.ResellerQualificationViewSet, basename="rp-qualification"
)
reseller_partner_router.register(
    "conversations", reseller.ResellerConversationViewSet, basename="rp-conversation"
)
reseller_partner_router.register(
    "commissions", programs.ResellerCommissionViewSet, basename="rp-commission"
)
reseller_partner_router.register("payouts", programs.ResellerPayoutViewSet, basename="rp-payout")
reseller_partner_router.register("tiers", programs.ResellerTierViewSet, basename="rp-tier")
reseller_partner_router.register("offers", programs.ResellerOfferViewSet, basename="rp-offer")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_v1:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api_v1:schema"), name="redoc"),
    path("m/<slug:manufacturer_slug>/", include(manufacturer_router.urls)),
    path(
        "r/<str:reseller_public_id>/m/<slug:manufacturer_slug>/",
        include(reseller_partner_router.urls),
    ),
    path("r/<str:reseller_public_id>/", include(reseller_router.urls)),
]
