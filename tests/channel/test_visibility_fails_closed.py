"""Per-rep visibility fails closed (ARCHITECTURE.md rule 2).

Every selector of data a sales rep may see takes the viewer as a required keyword
(`membership`); leaving it out is a TypeError and passing None is `ViewerRequired`, never
"see everything". The whole tenant, for callers that are not a member's view, is spelled
`dangerously_all_partnerships`.
"""

import importlib
import inspect
import pkgutil
from datetime import date
from pathlib import Path

import pytest
from django_scopes import scope

from channel.selectors import dangerously_all_partnerships, partnerships_visible_to
from channel.visibility import ViewerRequired
from tests.salesreps.conftest import World

ROOT = Path(__file__).resolve().parents[2]
# Read modules that are not named selectors but are selectors of a domain.
EXTRA_SELECTOR_MODULES = ("resellers.directory", "resellers.statistics")


def _selector_modules() -> list[str]:
    names = set(EXTRA_SELECTOR_MODULES)
    for init in ROOT.glob("*/__init__.py"):
        app = init.parent.name
        if app in {"tests", "config", "demo"}:
            continue
        for module in pkgutil.walk_packages([str(init.parent)], prefix=f"{app}."):
            if "selectors" in module.name.split("."):
                names.add(module.name)
    return sorted(names)


def _selectors_taking_a_viewer() -> list[tuple[str, object]]:
    found = []
    for module_name in _selector_modules():
        module = importlib.import_module(module_name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if (
                function.__module__ == module_name
                and "membership" in inspect.signature(function).parameters
            ):
                found.append((f"{module_name}.{name}", function))
    return found


SELECTORS = _selectors_taking_a_viewer()


def test_the_selectors_that_take_a_viewer_are_found():
    names = {name for name, _ in SELECTORS}
    assert {
        "channel.selectors.partnerships_visible_to",
        "orders.selectors.orders.orders_for_manufacturer",
        "orders.selectors.orders.access_order_for_manufacturer",
        "resellers.directory.directory_rows",
    } <= names


@pytest.mark.parametrize(("name", "selector"), SELECTORS, ids=[name for name, _ in SELECTORS])
def test_the_viewer_is_a_required_keyword(name, selector):
    parameter = inspect.signature(selector).parameters["membership"]
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, f"{name}: make it keyword-only"
    assert parameter.default is inspect.Parameter.empty, (
        f"{name}: a default viewer fails open; internal callers use a dangerously_… selector"
    )


def _arguments(selector, world: World) -> dict:
    """Plausible arguments for every parameter but the viewer."""
    values = {
        "manufacturer": world.tenant,
        "public_id": world.a1.reseller.public_id,
        "partnership_id": world.a1.pk,
        "pk": world.a1.pk,
        "number": world.orders["a1"].number,
        "partnership": world.a1,
        "rep": world.rep_a,
        "date_from": date(2000, 1, 1),
        "date_to": date(2100, 1, 1),
    }
    arguments = {}
    for parameter in inspect.signature(selector).parameters.values():
        if parameter.name == "membership":
            continue
        if parameter.name in values:
            arguments[parameter.name] = values[parameter.name]
        elif parameter.default is inspect.Parameter.empty:
            arguments[parameter.name] = 0
    return arguments


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "selector"), SELECTORS, ids=[name for name, _ in SELECTORS])
def test_no_viewer_is_refused_not_everything(name, selector, world):
    with scope(manufacturer=world.tenant), pytest.raises(ViewerRequired):
        result = selector(membership=None, **_arguments(selector, world))
        # A lazy queryset is refused when it is built; anything else when it is read.
        list(result) if hasattr(result, "__iter__") else result


@pytest.mark.django_db
def test_a_rep_sees_their_portfolio_and_staff_the_tenant(world):
    def visible(user):
        membership = user.manufacturer_memberships.get(manufacturer=world.tenant)
        return set(partnerships_visible_to(manufacturer=world.tenant, membership=membership))

    assert visible(world.rep_a) == {world.a1, world.a2}
    assert visible(world.rep_b) == {world.b1}
    assert visible(world.manager) == {world.a1, world.a2, world.b1, world.free}


@pytest.mark.django_db
def test_the_unrestricted_selector_still_keeps_to_its_tenant(world):
    assert set(dangerously_all_partnerships(manufacturer=world.tenant)) == {
        world.a1,
        world.a2,
        world.b1,
        world.free,
    }
