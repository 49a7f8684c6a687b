"""The explicit list of factor modules. Importing this package registers every check."""

from ..registry import Check, registered
from . import (  # noqa: F401  (imported for their @check registrations)
    f01_codebase,
    f02_dependencies,
    f03_config,
    f04_backing_services,
    f05_build_release_run,
    f06_memory_state,
    f06_processes,
    f07_port_binding,
    f08_concurrency,
    f09_disposability,
    f10_dev_prod_parity,
    f11_logs,
    f12_admin_processes,
    tree_hygiene,
)


def all_checks() -> list[Check]:
    return registered()
