from django.apps import AppConfig
from django.core.signals import request_finished


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from core.logging import forget_request_context

        request_finished.connect(forget_request_context, dispatch_uid="core.forget_request")
