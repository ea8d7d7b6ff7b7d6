"""The project's tests, one subpackage per component (tests/README.md maps them).

A package so that every module has one name (``tests.conftest``, ``tests.support.nu``)
whether pytest or ``python -m tests.…`` imports it."""
