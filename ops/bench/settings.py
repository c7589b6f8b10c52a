"""The production settings plus one page: the bare view the benchmark compares pages with."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "ops.bench.urls"
