"""Reads of orders, one module per concern: orders (lists, access, detail), carts and
payment_links. Import from the concern module; nothing is re-exported here."""
