"""Everything that changes conversations, one module per concern: conversations (and the
rules every change follows), marks, comments, deletion, qualifying, notifications.
Import from the concern module; nothing is re-exported here."""
