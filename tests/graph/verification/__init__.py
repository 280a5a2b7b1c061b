"""HTTP tests of real-name verification through the API."""
