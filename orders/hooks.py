"""The explicit seams through which higher domains react to orders (ARCHITECTURE.md rule 4).

Orders sit below resellers, qualifications, commissions, salesreps and partners, so they
never import them. Instead each of those apps registers a receiver here in its
AppConfig.ready(), and orders.services calls the receivers at the documented moment,
inside the same transaction as the change:

- `order_created`: an order was created (salesreps emails the customer's rep).
- `order_status_changed`: an order moved from one status to another (commissions accrue
  when an order completes and are voided when it is cancelled).
- `order_returned`: goods came back (commissions claw back).

A receiver that raises rolls the whole change back: nothing is half-done.
"""

from core.hooks import Hook

# receiver(order=Order)
order_created = Hook("order_created")
# receiver(order=Order, from_status=str, to_status=str, changed_by=User | None)
order_status_changed = Hook("order_status_changed")
# receiver(order_return=OrderReturn)
order_returned = Hook("order_returned")
