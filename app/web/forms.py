from django import forms
from django.core.exceptions import ValidationError

from .models import Team
from .refs import check_branch
from .urlguard import check_clone_url


class AddRepositoryForm(forms.Form):
    url = forms.CharField(
        label="Git repository URL",
        max_length=2048,
        widget=forms.TextInput(
            attrs={"placeholder": "https://github.com/owner/repo.git", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    team = forms.ModelChoiceField(queryset=Team.objects.none(), empty_label=None)
    # strip=False: a newline or tab is refused (check_branch), not quietly trimmed; spaces are trimmed
    branch = forms.CharField(
        max_length=255, required=False, strip=False, help_text="Leave empty for the default branch."
    )
    is_public = forms.BooleanField(required=False, label="Public badge")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(members=user) if user else Team.objects.none()

    def clean_url(self) -> str:
        try:
            return check_clone_url(self.cleaned_data["url"]).url
        except ValidationError as exc:
            if exc.code == "credentials":  # never echo a password back into the page
                self.data = self.data.copy()
                self.data[self.add_prefix("url")] = ""
            raise

    def clean_branch(self) -> str:
        return check_branch(self.cleaned_data["branch"].strip(" "))
