# Transitional: the modules move first, the split into concern modules follows.
from orders.services.orders import *  # noqa: F403
