"""xarray's own chunked-array tests run against gpuscale (``python -m tests.xarray_api.xarray_suite``)."""
