"""The explicit seam through which higher layers react to communications (ARCHITECTURE.md
rule 4): the API's webhooks subscribe in ApiConfig.ready(); communications.services calls
the receivers inside the transaction of the change, so a rolled-back message sends nothing.

- `message_received`: a reseller started a conversation (`started=True`) or replied in one.
"""

from core.hooks import Hook

# receiver(conversation=Conversation, message=Message, started=bool)
message_received = Hook("message_received")
