from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Manufacturer
from catalog.models import Qualification, qualification_code_validator
from channel.models import Partnership, QualifyingStatus
from qualifications.selectors import qualification_by_code
from qualifications.services import normalize_code


class CodeField(forms.CharField):
    """A qualification ID, upper-cased before it is validated (pro-av → PRO-AV)."""

    def to_python(self, value: Any) -> str:
        return normalize_code(super().to_python(value))


class QualificationForm(forms.ModelForm):
    """Define or edit a qualification. The ID is fixed once created."""

    code = CodeField(
        label=_("Qualification ID"), max_length=50, validators=[qualification_code_validator]
    )

    class Meta:
        model = Qualification
        fields = ["code", "name", "description", "is_default"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, manufacturer: Manufacturer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.manufacturer = manufacturer
        self.fields["code"].help_text = _("Like PRO-AV-CERTIFIED. It cannot be changed later.")
        if self.instance.pk:
            self.fields["code"].disabled = True

    def clean_code(self) -> str:
        if self.instance.pk:
            return self.instance.code
        # A code already defined is the service's refusal (qualification_create).
        return self.cleaned_data["code"]


class _CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Qualification ID"),
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": "PRO-AV-CERTIFIED", "autocomplete": "off"}),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args, manufacturer: Manufacturer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.manufacturer = manufacturer

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data["code"])
        qualification = qualification_by_code(manufacturer=self.manufacturer, code=code)
        if qualification is None:
            raise forms.ValidationError(
                _("There is no qualification with the ID %(code)s."), params={"code": code}
            )
        self.cleaned_data["qualification"] = qualification
        return code


class GrantForm(_CodeForm):
    pass


class RevokeForm(_CodeForm):
    pass


class QualifyingStatusForm(forms.Form):
    qualifying_status = forms.ChoiceField(
        label=_("Qualifying status"),
        choices=QualifyingStatus.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=500,
        error_messages={"required": _("Give a reason for declining.")},
    )


class RequestForm(forms.Form):
    qualification: "forms.ModelChoiceField[Qualification]" = forms.ModelChoiceField(
        label=_("Qualification"), queryset=Qualification.objects.none(), empty_label=None
    )
    message = forms.CharField(
        label=_("Message to the manufacturer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why you need it: certifications, trained staff, projects."),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.qualification_field.queryset = Qualification.objects.filter(
            manufacturer_id=partnership.manufacturer_id
        ).order_by("code")

    @property
    def qualification_field(self) -> "forms.ModelChoiceField[Qualification]":
        """This form's copy of the `qualification` field (`self.fields` holds plain Fields)."""
        return cast("forms.ModelChoiceField[Qualification]", self.fields["qualification"])
