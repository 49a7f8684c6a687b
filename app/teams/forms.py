from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from app.web.models import Team


class CreateTeamForm(forms.Form):
    name = forms.CharField(max_length=100, label="Team name")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError("Give the team a name.")
        return name


class AddMemberForm(forms.Form):
    username = forms.CharField(max_length=150, label="User name")

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise ValidationError(f"There is no user '{username}'. They need an account first (ask an admin).")
        if self.team.members.filter(pk=user.pk).exists():
            raise ValidationError(f"{username} is already in {self.team.name}.")
        return user


class MoveRepositoryForm(forms.Form):
    to = forms.ModelChoiceField(queryset=Team.objects.none(), empty_label=None, label="Move to")

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = teams
