"""Demo catalogs: categories (two restricted by a qualification), about forty products per
manufacturer, price lists, and partnerships put on a price list or a discount.

Idempotent like the rest of the demo: it looks up what it would create and creates only what
is missing. Prices drawn from `rng` are drawn on every run, so the sequence stays stable.
"""

import random
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from accounts.models import Manufacturer
from catalog.models import Category, PriceList, PriceListItem, Product, ProductKind, Qualification
from catalog.pricing import quantize_money
from catalog.services import (
    category_create,
    price_list_create,
    price_list_item_set,
    product_create,
    retail_price_set,
)
from channel.models import Partnership

if TYPE_CHECKING:
    from demo.channel import DemoReport

P, S = ProductKind.PHYSICAL, ProductKind.SERVICE

# The demo customers' markets (their countries) and the retail markup on the list price.
DEMO_MARKETS = (("Germany", Decimal("1.35")), ("Europe", Decimal("1.40")))


@dataclass(frozen=True)
class DemoCatalog:
    qualifications: tuple[tuple[str, str, bool], ...]  # code, name, is default
    categories: tuple[tuple[str, str, str | None], ...]  # name, description, qualification
    products: tuple[tuple[str, str, str, str, str], ...]  # sku, name, category, kind, price
    price_lists: tuple[tuple[str, int, int], ...]  # name, every n-th product, max % off


NORTHWIND = DemoCatalog(
    qualifications=(
        ("PRO-AV-CERTIFIED", "Pro AV certified partner", True),
        ("SMART-HOME-INSTALLER", "Smart home installer", False),
    ),
    categories=(
        ("Loudspeakers", "Floor-standing, bookshelf and in-wall speakers.", None),
        ("Amplifiers & Receivers", "Stereo and multichannel amplification.", None),
        ("Soundbars & Home Cinema", "Soundbars, subwoofers and cinema packs.", None),
        (
            "Installation Services",
            "On-site installation by certified partners.",
            "PRO-AV-CERTIFIED",
        ),
        (
            "Multiroom & Smart Home",
            "Networked audio for whole-home systems.",
            "SMART-HOME-INSTALLER",
        ),
        ("Warranty & Support Plans", "Extended warranties and support subscriptions.", None),
    ),
    products=(
        ("NW-SPK-F600", "Aria F600 floor-standing speaker (pair)", "Loudspeakers", P, "1299.00"),
        ("NW-SPK-F400", "Aria F400 floor-standing speaker (pair)", "Loudspeakers", P, "899.00"),
        ("NW-SPK-B200", "Aria B200 bookshelf speaker (pair)", "Loudspeakers", P, "449.00"),
        ("NW-SPK-B100", "Aria B100 compact speaker (pair)", "Loudspeakers", P, "299.00"),
        ("NW-SPK-C300", "Aria C300 centre speaker", "Loudspeakers", P, "379.00"),
        ("NW-SPK-IW65", "Studio IW6.5 in-wall speaker", "Loudspeakers", P, "249.00"),
        ("NW-SPK-IC80", "Studio IC8 in-ceiling speaker", "Loudspeakers", P, "219.00"),
        ("NW-SPK-OD50", "Terrace OD5 outdoor speaker (pair)", "Loudspeakers", P, "399.00"),
        ("NW-AMP-S150", "Reference S150 stereo amplifier", "Amplifiers & Receivers", P, "1190.00"),
        ("NW-AMP-S80", "Reference S80 integrated amplifier", "Amplifiers & Receivers", P, "749.00"),
        ("NW-AMP-P2", "Reference P2 phono preamplifier", "Amplifiers & Receivers", P, "329.00"),
        ("NW-AVR-9", "Cinema AVR-9 9.2 AV receiver", "Amplifiers & Receivers", P, "1899.00"),
        ("NW-AVR-7", "Cinema AVR-7 7.2 AV receiver", "Amplifiers & Receivers", P, "1199.00"),
        (
            "NW-AMP-Z8",
            "Zone Z8 eight-channel install amplifier",
            "Amplifiers & Receivers",
            P,
            "1590.00",
        ),
        ("NW-SB-500", "Horizon 500 Dolby Atmos soundbar", "Soundbars & Home Cinema", P, "899.00"),
        ("NW-SB-300", "Horizon 300 soundbar", "Soundbars & Home Cinema", P, "499.00"),
        ("NW-SUB-12", "Depth 12 wireless subwoofer", "Soundbars & Home Cinema", P, "699.00"),
        ("NW-SUB-10", "Depth 10 subwoofer", "Soundbars & Home Cinema", P, "499.00"),
        ("NW-HC-51", "Cinema 5.1 speaker pack", "Soundbars & Home Cinema", P, "1490.00"),
        ("NW-HC-714", "Cinema 7.1.4 Atmos speaker pack", "Soundbars & Home Cinema", P, "3290.00"),
        (
            "NW-SRV-INST-HC",
            "Home cinema installation (per room)",
            "Installation Services",
            S,
            "650.00",
        ),
        (
            "NW-SRV-INST-IW",
            "In-wall speaker installation (per pair)",
            "Installation Services",
            S,
            "180.00",
        ),
        ("NW-SRV-CAL", "Room acoustic calibration", "Installation Services", S, "290.00"),
        ("NW-SRV-SURVEY", "On-site survey and system design", "Installation Services", S, "240.00"),
        ("NW-SRV-RACK", "Equipment rack build and cabling", "Installation Services", S, "420.00"),
        ("NW-MR-STR2", "Flow Stream 2 network player", "Multiroom & Smart Home", P, "549.00"),
        ("NW-MR-AMP4", "Flow Amp 4 streaming amplifier", "Multiroom & Smart Home", P, "899.00"),
        ("NW-MR-HUB", "Flow Hub whole-home controller", "Multiroom & Smart Home", P, "699.00"),
        ("NW-MR-KP", "Flow Keypad wall controller", "Multiroom & Smart Home", P, "189.00"),
        ("NW-MR-SPK", "Flow One wireless speaker", "Multiroom & Smart Home", P, "329.00"),
        (
            "NW-MR-INT",
            "Smart home integration (KNX, Control4)",
            "Multiroom & Smart Home",
            S,
            "540.00",
        ),
        ("NW-WAR-3Y", "Extended warranty, 3 years", "Warranty & Support Plans", S, "89.00"),
        ("NW-WAR-5Y", "Extended warranty, 5 years", "Warranty & Support Plans", S, "149.00"),
        (
            "NW-SUP-M",
            "Priority support subscription (monthly)",
            "Warranty & Support Plans",
            S,
            "19.00",
        ),
        (
            "NW-SUP-Y",
            "Priority support subscription (yearly)",
            "Warranty & Support Plans",
            S,
            "190.00",
        ),
        (
            "NW-SUP-PRO",
            "Pro installer support plan (yearly)",
            "Warranty & Support Plans",
            S,
            "490.00",
        ),
        ("NW-ACC-CBL5", "Speaker cable 2×4 mm², 5 m", "Loudspeakers", P, "39.00"),
        ("NW-ACC-WB", "Wall bracket for B-series speakers (pair)", "Loudspeakers", P, "59.00"),
        ("NW-ACC-RMT", "Universal learning remote", "Amplifiers & Receivers", P, "79.00"),
        ("NW-SPK-B50", "Aria B50 bookshelf speaker (pair, legacy)", "Loudspeakers", P, "199.00"),
    ),
    price_lists=(("Premium partners 2026", 2, 12), ("Installer net prices", 3, 18)),
)

HELIOS = DemoCatalog(
    qualifications=(
        ("LIGHTING-PRO", "Lighting professional", True),
        ("DALI-CERTIFIED", "DALI certified installer", False),
    ),
    categories=(
        ("LED Panels", "Flat panels for offices, schools and retail.", None),
        ("Smart Bulbs", "Connected bulbs and strips for homes.", None),
        ("Downlights & Spots", "Recessed downlights, track spots and accent lights.", None),
        ("DALI Controls", "DALI-2 controllers, sensors and gateways.", "DALI-CERTIFIED"),
        ("Lighting Design", "Professional lighting design and commissioning.", "LIGHTING-PRO"),
        ("Service Plans", "Maintenance, warranties and software subscriptions.", None),
    ),
    products=(
        ("HL-PNL-6060-40", "Lumo panel 60×60, 40 W, 4000 K", "LED Panels", P, "89.00"),
        ("HL-PNL-6060-30", "Lumo panel 60×60, 30 W, 3000 K", "LED Panels", P, "84.00"),
        ("HL-PNL-12030-40", "Lumo panel 120×30, 40 W, 4000 K", "LED Panels", P, "99.00"),
        ("HL-PNL-6060-TW", "Lumo panel 60×60, tunable white", "LED Panels", P, "149.00"),
        ("HL-PNL-6060-D", "Lumo panel 60×60, DALI dimmable", "LED Panels", P, "129.00"),
        ("HL-PNL-UGR19", "Lumo Office UGR<19 panel 62×62", "LED Panels", P, "139.00"),
        ("HL-PNL-FRAME", "Surface-mount frame for 60×60 panels", "LED Panels", P, "29.00"),
        ("HL-BLB-E27-W", "Glow E27 smart bulb, white", "Smart Bulbs", P, "19.90"),
        ("HL-BLB-E27-C", "Glow E27 smart bulb, colour", "Smart Bulbs", P, "34.90"),
        ("HL-BLB-GU10-C", "Glow GU10 smart spot, colour", "Smart Bulbs", P, "29.90"),
        ("HL-BLB-E14-W", "Glow E14 smart candle, white", "Smart Bulbs", P, "17.90"),
        ("HL-STR-2M", "Glow smart LED strip, 2 m", "Smart Bulbs", P, "49.90"),
        ("HL-BRG-1", "Glow bridge (Zigbee / Matter)", "Smart Bulbs", P, "59.00"),
        ("HL-SW-DIM", "Glow wireless dimmer switch", "Smart Bulbs", P, "24.90"),
        ("HL-DL-90-10", "Ray downlight 90 mm, 10 W", "Downlights & Spots", P, "32.00"),
        ("HL-DL-150-18", "Ray downlight 150 mm, 18 W", "Downlights & Spots", P, "45.00"),
        ("HL-DL-200-25", "Ray downlight 200 mm, 25 W, DALI", "Downlights & Spots", P, "79.00"),
        ("HL-TRK-SPOT-20", "Beam track spot, 20 W", "Downlights & Spots", P, "69.00"),
        ("HL-TRK-SPOT-35", "Beam track spot, 35 W", "Downlights & Spots", P, "89.00"),
        ("HL-TRK-RAIL-2", "Beam 3-phase track, 2 m", "Downlights & Spots", P, "54.00"),
        ("HL-WALL-UP", "Contour up/down wall light, IP65", "Downlights & Spots", P, "99.00"),
        (
            "HL-DALI-CTRL-64",
            "DALI-2 application controller, 64 addresses",
            "DALI Controls",
            P,
            "389.00",
        ),
        ("HL-DALI-GW", "DALI-2 to IP gateway", "DALI Controls", P, "449.00"),
        ("HL-DALI-PSU", "DALI bus power supply 250 mA", "DALI Controls", P, "119.00"),
        ("HL-DALI-PIR", "DALI-2 presence and daylight sensor", "DALI Controls", P, "139.00"),
        ("HL-DALI-PB4", "DALI-2 push-button coupler, 4 inputs", "DALI Controls", P, "79.00"),
        ("HL-DALI-DIM", "DALI rotary dimmer", "DALI Controls", P, "89.00"),
        ("HL-DALI-SW", "DALI commissioning software licence", "DALI Controls", S, "290.00"),
        ("HL-DES-ROOM", "Lighting design, per room", "Lighting Design", S, "190.00"),
        ("HL-DES-OFFICE", "Office lighting design (up to 500 m²)", "Lighting Design", S, "1450.00"),
        ("HL-DES-CALC", "DIALux light calculation report", "Lighting Design", S, "320.00"),
        ("HL-DES-COMM", "DALI commissioning on site (per day)", "Lighting Design", S, "890.00"),
        ("HL-DES-AUDIT", "Energy audit and retrofit plan", "Lighting Design", S, "690.00"),
        ("HL-WAR-5Y", "Extended warranty for panels, 5 years", "Service Plans", S, "12.00"),
        ("HL-WAR-7Y", "Extended warranty for panels, 7 years", "Service Plans", S, "19.00"),
        ("HL-MNT-Y", "Annual maintenance visit", "Service Plans", S, "240.00"),
        ("HL-APP-PRO-M", "Glow Pro app subscription (monthly)", "Service Plans", S, "9.90"),
        ("HL-APP-PRO-Y", "Glow Pro app subscription (yearly)", "Service Plans", S, "99.00"),
        ("HL-MON-Y", "Remote monitoring for DALI sites (yearly)", "Service Plans", S, "360.00"),
        ("HL-PNL-6060-OLD", "Lumo panel 60×60, 36 W (legacy)", "LED Panels", P, "69.00"),
    ),
    price_lists=(("Volume installers", 2, 15),),
)

CATALOGS = {"northwind": NORTHWIND, "helios": HELIOS}
# Products shown as withdrawn, so the catalog has an inactive row to filter on.
LEGACY_SKUS = {"NW-SPK-B50", "HL-PNL-6060-OLD"}


def build_demo_catalog(
    manufacturer: Manufacturer, rng: random.Random, report: "DemoReport"
) -> None:
    spec = CATALOGS.get(manufacturer.slug)
    if spec is None:
        return
    qualifications = {}
    for code, name, is_default in spec.qualifications:
        qualification = Qualification.objects.filter(manufacturer=manufacturer, code=code).first()
        if qualification is None:
            qualification = Qualification.objects.create(
                manufacturer=manufacturer, code=code, name=name, is_default=is_default
            )
            report.count("qualifications")
        qualifications[code] = qualification

    categories = {c.name: c for c in Category.objects.filter(manufacturer=manufacturer)}
    for name, description, required_code in spec.categories:
        if name not in categories:
            required = qualifications.get(required_code) if required_code else None
            categories[name] = category_create(
                manufacturer=manufacturer,
                name=name,
                description=description,
                required_qualification=required,
            )
            report.count("categories")

    products = {p.sku: p for p in Product.objects.filter(manufacturer=manufacturer)}
    for sku, name, category, kind, price in spec.products:
        if sku not in products:
            products[sku] = product_create(
                manufacturer=manufacturer,
                category=categories[category],
                sku=sku,
                name=name,
                description=f"{name}. Sold and supported by {manufacturer.name}.",
                price=Decimal(price),
                kind=kind,
                is_active=sku not in LEGACY_SKUS,
            )
            report.count("products")
    # Retail prices in the demo customers' markets; the payment link charges these.
    for product in products.values():
        if not product.retail_prices.exists():
            for market, markup in DEMO_MARKETS:
                retail_price_set(
                    product=product, market=market, price=quantize_money(product.price * markup)
                )

    price_lists = []
    for name, every, max_off in spec.price_lists:
        # Draw first: the sequence must not depend on what already exists.
        offs = [rng.randint(4, max_off) for _ in spec.products]
        price_list = PriceList.objects.filter(manufacturer=manufacturer, name=name).first()
        if price_list is None:
            price_list = price_list_create(manufacturer=manufacturer, name=name)
            report.count("price lists")
        price_lists.append(price_list)
        if PriceListItem.objects.filter(price_list=price_list).exists():
            continue
        for index, (sku, *_rest) in enumerate(spec.products):
            if index % every == 0:
                product = products[sku]
                factor = (Decimal(100) - offs[index]) / Decimal(100)
                price_list_item_set(
                    price_list=price_list,
                    product=product,
                    price=quantize_money(product.price * factor),
                )
                report.count("price list items")
    _put_partnerships_on_conditions(manufacturer, price_lists, report)


def _put_partnerships_on_conditions(
    manufacturer: Manufacturer, price_lists: list[PriceList], report: "DemoReport"
) -> None:
    """Some partners buy from a price list, some get a discount, most pay list prices.

    Skipped once any partnership has conditions, so edits made in the portal survive."""
    partnerships = Partnership.objects.filter(manufacturer=manufacturer)
    if (
        partnerships.filter(price_list__isnull=False).exists()
        or partnerships.exclude(discount_percent=0).exists()
    ):
        return
    ids = list(partnerships.order_by("reseller__name").values_list("pk", "reseller__public_id"))
    for index, (pk, public_id) in enumerate(ids):
        conditions: dict[str, PriceList | Decimal] = {}
        if public_id == "36G8J2Z" or index % 5 == 1:
            conditions = {"price_list": price_lists[0], "discount_percent": Decimal("3.00")}
        elif len(price_lists) > 1 and index % 5 == 3:
            conditions = {"price_list": price_lists[1]}
        elif index % 4 == 0:
            conditions = {"discount_percent": Decimal(5 + 5 * (index % 3))}
        if conditions:
            # The demo sits above resellers; a service for commercial conditions comes later.
            Partnership.objects.filter(pk=pk).update(**conditions)
            report.count("partnerships with conditions")
