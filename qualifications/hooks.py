"""The explicit seams through which higher domains react to qualifications (ARCHITECTURE.md
rule 4), in the style of orders/hooks.py.

Qualifications sit below communications, so they never import it. Communications connects
receivers here in CommunicationsConfig.ready(); qualifications.services sends them at the
documented moment, inside the same transaction as the change (a receiver that raises rolls
the change back):

- `qualification_requested`: receiver(request=QualificationRequest)
- `qualification_granted`: receiver(grant=QualificationGrant, granted_by=User | None)
- `qualification_revoked`: receiver(grant=QualificationGrant, revoked_by=User | None)
- `qualifying_status_changed`: receiver(change=QualifyingStatusChange)
"""

from core.hooks import Hook

qualification_requested = Hook("qualification_requested")
qualification_granted = Hook("qualification_granted")
qualification_revoked = Hook("qualification_revoked")
qualifying_status_changed = Hook("qualifying_status_changed")
