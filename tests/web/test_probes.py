"""/healthz and /readyz never read a session or a user: a database outage gives 503, never a 500
because a session cookie came with the probe (issue 9, defect 5). The outage itself, with a real
PostgreSQL stopped, is in tests/faults/test_services.py."""

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_with_a_session_cookie_asks_nothing_of_the_database(client, member, django_assert_num_queries):
    client.force_login(member)
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200


def test_readyz_with_a_session_cookie_asks_the_database_only_whether_it_answers(
    client, member, django_assert_num_queries
):
    client.force_login(member)
    with django_assert_num_queries(1) as ctx:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert ctx.captured_queries[0]["sql"] == "SELECT 1"


def test_probes_answer_whatever_the_host_header(client):
    """A platform's probe calls the container by its IP: ALLOWED_HOSTS is for people, not probes."""
    assert client.get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200
