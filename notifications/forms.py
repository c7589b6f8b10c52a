from django import forms

from notifications.models import NotificationChannel, NotificationKind


class PreferencesForm(forms.Form):
    """One choice of channel per kind of event the user may hear of (the keys of
    `initial_channels`)."""

    def __init__(self, *args, initial_channels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = list(initial_channels)
        for kind in self.kinds:
            self.fields[kind] = forms.ChoiceField(
                label=NotificationKind(kind).label,
                choices=NotificationChannel.choices,
                initial=initial_channels[kind],
                widget=forms.RadioSelect,
            )

    def channels(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for kind in self.kinds}
