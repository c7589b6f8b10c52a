"""Reads of the resellers app, one module per concern (end customers, affiliate links, the
two dashboards). Import from the concern module; nothing is re-exported here."""
