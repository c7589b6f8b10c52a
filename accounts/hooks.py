"""The explicit seams through which higher domains react to accounts (ARCHITECTURE.md rule 4).

- `manufacturer_created`: a new tenant exists (partners gives it the guide's default tiers).

A receiver that raises rolls the whole change back: nothing is half-done.
"""

from core.hooks import Hook

# receiver(manufacturer=Manufacturer)
manufacturer_created = Hook("manufacturer_created")
