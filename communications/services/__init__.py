# Transitional: the module moves first, the split into concern modules follows.
from communications.services.conversations import *  # noqa: F403
