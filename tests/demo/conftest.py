from tests.web.conftest import no_broker  # noqa: F401  (the same fixture: no message reaches the broker)
