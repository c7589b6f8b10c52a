from django import forms

from notifications.models import NotificationChannel, NotificationKind


class PreferencesForm(forms.Form):
    """One choice of channel per kind of event."""

    def __init__(self, *args, initial_channels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=NotificationChannel.choices,
                initial=initial_channels.get(kind),
                widget=forms.RadioSelect,
            )

    def channels(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for kind in NotificationKind.values}
