"""The explicit seams through which higher layers react to commissions (ARCHITECTURE.md
rule 4): the API's webhooks subscribe in ApiConfig.ready(); commissions.services calls the
receivers inside the transaction of the change.

- `commission_payable`: the daily job found commission of a partnership that became payable
  since its last run (one call per partnership and run).
- `payout_paid`: a payout request was paid (its batch was marked paid).
"""

from core.hooks import Hook

# receiver(partnership=Partnership, amount=Decimal, currency=str, entries=int, day=date)
commission_payable = Hook("commission_payable")
# receiver(payout_request=PayoutRequest, batch=PayoutBatch)
payout_paid = Hook("payout_paid")
