from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Manufacturer

qualification_code_validator = RegexValidator(
    regex=r"^[A-Z0-9][A-Z0-9_-]{1,49}$",
    message=_("Use uppercase letters, digits, dashes and underscores, like PRO-AV-CERTIFIED."),
)


class Qualification(models.Model):
    """A permission a manufacturer defines; restricted catalog categories require one."""

    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.CASCADE, related_name="qualifications"
    )
    code = models.CharField(
        _("qualification ID"), max_length=50, validators=[qualification_code_validator]
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(
        _("default qualifying code"),
        default=False,
        help_text=_("Granted by “Qualify” in the communications inbox."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "code"], name="unique_qualification_code"
            ),
            models.UniqueConstraint(
                fields=["manufacturer"],
                condition=models.Q(is_default=True),
                name="one_default_qualification_per_manufacturer",
            ),
        ]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")

    def __str__(self) -> str:
        return self.code
