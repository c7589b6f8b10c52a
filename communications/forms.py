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
