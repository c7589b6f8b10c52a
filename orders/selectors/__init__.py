# Transitional: the module moves first, the split into concern modules follows.
from orders.selectors.orders import *  # noqa: F403
