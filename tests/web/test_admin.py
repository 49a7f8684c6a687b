"""The admin for staff: scans and their results are records to read (and scans to delete), never to add or edit."""

import pytest
from django.urls import reverse

from app.web.models import FactorResult, Finding
from tests.web import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, django_user_model, team):
    user = django_user_model.objects.create_superuser("root", "root@example.test", "a-long-admin-passphrase")
    client.force_login(user)
    return client


@pytest.fixture
def scan(team):
    return factories.scan(factories.repository(team, "api"), 70, findings=[(3, "high", "settings.py")])


@pytest.mark.parametrize("model", ["scan", "factorresult", "finding"])
def test_it_offers_no_add_for_read_only_records(staff, scan, model):
    listing = staff.get(reverse(f"admin:web_{model}_changelist")).content.decode()
    assert reverse(f"admin:web_{model}_add") not in listing
    assert staff.get(reverse(f"admin:web_{model}_add")).status_code == 403


def test_the_scans_list_shows_a_short_commit(staff, scan):
    listing = staff.get(reverse("admin:web_scan_changelist")).content.decode()
    assert scan.short_sha in listing and scan.commit_sha not in listing


def test_a_scan_opens_read_only_without_a_save_button(staff, scan):
    page = staff.get(reverse("admin:web_scan_change", args=[scan.pk])).content.decode()
    assert 'name="_save"' not in page


def test_results_cannot_be_deleted_one_by_one(staff, scan):
    result = FactorResult.objects.filter(scan=scan).first()
    finding = Finding.objects.first()
    assert staff.get(reverse("admin:web_factorresult_delete", args=[result.pk])).status_code == 403
    assert staff.get(reverse("admin:web_finding_delete", args=[finding.pk])).status_code == 403
