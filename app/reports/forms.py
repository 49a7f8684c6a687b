from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .models import ReportSettings
from .weeks import zone_names

MAX_EXTRA = 50


class ReportSettingsForm(forms.ModelForm):
    extra_recipients = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Extra addresses",
        help_text="Beside the team's members: one address per line (a mailing list, a manager).",
    )
    time_zone = forms.ChoiceField(
        label="Time zone of the team's weeks",
        help_text="A report is about one ISO week, Monday to Sunday, in this zone.",
    )

    class Meta:
        model = ReportSettings
        fields = ["extra_recipients", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(z, z) for z in sorted(zone_names())]
        self.initial["extra_recipients"] = "\n".join(self.instance.extra_recipients or [])

    def clean_extra_recipients(self) -> list[str]:
        addresses = []
        for raw in self.cleaned_data["extra_recipients"].replace(",", "\n").splitlines():
            address = raw.strip().lower()
            if not address:
                continue
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(f"{address[:100]} is not an email address.") from None
            if address not in addresses:
                addresses.append(address)
        if len(addresses) > MAX_EXTRA:
            raise ValidationError(f"At most {MAX_EXTRA} extra addresses.")
        return addresses
