from tests.web.conftest import no_broker  # noqa: F401 (the pipeline tests run scans in-process)
