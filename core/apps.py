from celery.signals import before_task_publish, task_postrun, task_prerun
from django.apps import AppConfig
from django.core.signals import request_finished


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from core import logging

        request_finished.connect(logging.forget_request_context, dispatch_uid="core.forget")
        before_task_publish.connect(logging.carry_request_context, dispatch_uid="core.carry")
        task_prerun.connect(logging.adopt_request_context, dispatch_uid="core.adopt")
        task_postrun.connect(logging.release_request_context, dispatch_uid="core.release")
