"""Form pieces every domain uses."""

import uuid
from typing import Any

from django import forms


class OnceForm(forms.Form):
    """A form with a one-time key, generated when the form is rendered: the service stores
    it under a unique constraint, so submitting the form twice (a double click, a retry)
    changes nothing the second time."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())
