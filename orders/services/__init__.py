"""Everything that changes orders, one module per concern: orders (creation, the status
workflow, notes, returns), carts, payment_links (checkout by payment link) and payments
(paying through the link). Import from the concern module; nothing is re-exported here."""
