from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Manufacturer
from catalog.models import Qualification
from channel.models import QualifyingStatus
from communications.models import EMOJI_PALETTE, MAX_BODY_LENGTH, ConversationType
from core.forms import OnceForm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

BODY_ERRORS = {
    "required": _("Write a message first: it is empty."),
    "max_length": _("The message is too long: at most %(limit_value)d characters "
                    "(it has %(show_value)d)."),
}  # fmt: skip


def body_field(label: "StrOrPromise", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_BODY_LENGTH,
        error_messages=BODY_ERRORS,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": MAX_BODY_LENGTH}),
    )


class NewConversationForm(OnceForm):
    kind = forms.ChoiceField(label=_("Type"), choices=ConversationType.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = body_field(_("Message"), rows=6)


class ReplyForm(OnceForm):
    body = body_field(_("Reply"), rows=3)


class StaffReplyForm(OnceForm):
    body = body_field(_("Reply"), rows=3)
    emoji = forms.ChoiceField(
        label=_("Mark"),
        required=False,
        choices=[("", _("No emoji: send to the reseller"))]
        + [(emoji, _("%(emoji)s internal: the reseller will not see this") % {"emoji": emoji})
           for emoji in EMOJI_PALETTE],
        help_text=_("With an emoji the reseller will not see this: it is an internal answer "
                    "that marks the conversation done. To reach the reseller, reply without "
                    "an emoji."),
    )  # fmt: skip


class CommentForm(OnceForm):
    body = body_field(_("Staff comment (never shown to the reseller)"), rows=2)


class QualifyingForm(forms.Form):
    """Change the reseller's qualifying code (grant one) and qualifying status."""

    qualification: "forms.ModelChoiceField[Qualification]" = forms.ModelChoiceField(
        label=_("Grant qualifying code"), queryset=Qualification.objects.none(), required=False
    )
    status = forms.ChoiceField(label=_("Qualifying status"), choices=QualifyingStatus.choices)

    def __init__(self, *args: Any, manufacturer: Manufacturer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The choices carry the tenant: another manufacturer's code is not a valid choice.
        # (`self.fields` holds this form's copy of the field, typed as a plain Field.)
        qualification = cast("forms.ModelChoiceField[Qualification]", self.fields["qualification"])
        qualification.queryset = Qualification.objects.filter(manufacturer=manufacturer).order_by(
            "code"
        )


class InboxFilterForm(forms.Form):
    """The inbox's filters, sort and layout, read from the query string. A value that is not
    among the choices is refused with a message and that filter is not applied."""

    sort = forms.ChoiceField(label=_("Sort"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    rep = forms.ChoiceField(label=_("Sales rep"), required=False)
    qualifying = forms.ChoiceField(label=_("Qualifying status"), required=False)
    unread = forms.BooleanField(label=_("Unread only"), required=False)
    layout = forms.ChoiceField(
        label=_("View"),
        required=False,
        choices=[("cards", _("Cards")), ("list", _("Compact list"))],
    )

    def __init__(
        self,
        *args: Any,
        sorts: list[tuple[str, "StrOrPromise"]],
        members: list[tuple[str, str]],
        reps: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["sort"]).choices = sorts
        cast(forms.ChoiceField, self.fields["type"]).choices = [
            ("", _("Every type")),
            *ConversationType.choices,
        ]
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [
            ("", _("Anyone or nobody")),
            ("me", _("Me")),
            ("none", _("Nobody")),
            *members,
        ]
        cast(forms.ChoiceField, self.fields["rep"]).choices = [("", _("Every rep")), *reps]
        cast(forms.ChoiceField, self.fields["qualifying"]).choices = [
            ("", _("Any status")),
            *QualifyingStatus.choices,
        ]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-check-input" if name == "unread" else "form-select form-select-sm"
            )

    def value(self, name: str, default: Any = "") -> Any:
        """The field's clean value, or `default` when it was refused or left empty."""
        if not self.is_bound:
            return default
        self.is_valid()
        if name in self.errors:
            return default
        return self.cleaned_data.get(name) or default


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)

    def __init__(self, *args: Any, members: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [("", _("Nobody")), *members]


class StaffNewConversationForm(OnceForm):
    reseller = forms.CharField(
        label=_("Reseller ID"),
        max_length=7,
        min_length=7,
        help_text=_("The reseller's 7-character ID, as on their profile."),
        error_messages={
            "required": _("Enter the reseller's ID."),
            "min_length": _("A reseller ID has 7 characters."),
            "max_length": _("A reseller ID has 7 characters."),
        },
    )
    kind = forms.ChoiceField(label=_("Type"), choices=ConversationType.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = body_field(_("Message"), rows=6)


class SavedViewForm(forms.Form):
    name = forms.CharField(
        label=_("Name this view"),
        max_length=60,
        error_messages={
            "required": _("Name the view first."),
            "max_length": _("A name has at most %(limit_value)d characters."),
        },
    )
    query = forms.CharField(max_length=500, required=False, widget=forms.HiddenInput)

    def clean_query(self) -> str:
        query: str = self.cleaned_data["query"]
        if any(ord(character) < 32 for character in query):
            raise forms.ValidationError(_("These filters cannot be saved."))
        return query
