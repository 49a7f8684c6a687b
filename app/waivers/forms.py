from __future__ import annotations

from datetime import date, timedelta

from django import forms

from .models import DEFAULT_DAYS, latest_allowed


class WaiveForm(forms.Form):
    fingerprint = forms.CharField(max_length=40, widget=forms.HiddenInput)
    reason = forms.CharField(
        min_length=3,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why this finding is not a problem here, in a sentence a reviewer can check.",
    )
    expires_on = forms.DateField(
        label="Expires",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="At most a year ahead. From this day the finding counts again.",
    )

    def __init__(self, *args, on: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.on = on
        self.fields["expires_on"].initial = on + timedelta(days=DEFAULT_DAYS)
        self.fields["expires_on"].widget.attrs.update(
            min=(on + timedelta(days=1)).isoformat(), max=latest_allowed(on).isoformat()
        )

    def clean_expires_on(self) -> date:
        value = self.cleaned_data["expires_on"]
        if value <= self.on:
            raise forms.ValidationError("Pick a day after today.")
        if value > latest_allowed(self.on):
            raise forms.ValidationError(
                f"A waiver lasts at most a year: pick {latest_allowed(self.on):%d %B %Y} or earlier."
            )
        return value
