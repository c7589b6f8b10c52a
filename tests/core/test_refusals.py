"""Every refusal a user can see derives from the one base, `core.exceptions.DomainRefused`,
so a view catches one kind of exception and shows its message the same way."""

import importlib
import inspect
import pkgutil
from pathlib import Path

from django.http import Http404

from core.exceptions import DomainRefused

ROOT = Path(__file__).resolve().parents[2]
APPS = sorted(
    init.parent.name
    for init in ROOT.glob("*/__init__.py")
    if init.parent.name not in {"tests", "config", "demo"}
)


def _exceptions_of_services_and_selectors() -> dict[str, type]:
    found = {}
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            parts = module.name.split(".")
            if "services" not in parts and "selectors" not in parts:
                continue
            loaded = importlib.import_module(module.name)
            for name, value in inspect.getmembers(loaded, inspect.isclass):
                if issubclass(value, Exception) and value.__module__ == module.name:
                    found[f"{module.name}.{name}"] = value
    return found


def test_every_refusal_of_a_service_is_a_domain_refusal():
    exceptions = _exceptions_of_services_and_selectors()
    assert "orders.services.orders.OrderRefused" in exceptions  # the walk finds them
    strays = {
        name
        for name, exception in exceptions.items()
        # A selector's "no such row" is a 404, like every access_<entity> selector.
        if not issubclass(exception, DomainRefused | Http404)
    }
    assert strays == set()


def test_the_message_is_the_users_words():
    refusal = DomainRefused("You are already partnered with Soundhouse (36G8J2Z).")
    assert refusal.user_message == "You are already partnered with Soundhouse (36G8J2Z)."
    assert DomainRefused(["One.", "Two."]).user_message == "One. Two."
