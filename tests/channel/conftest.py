"""The sales-rep world (two reps, their customers, another tenant) serves these tests too."""

from tests.salesreps.conftest import world  # noqa: F401
