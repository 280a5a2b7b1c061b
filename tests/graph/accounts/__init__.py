"""HTTP tests of the accounts area: registration, login, sessions, passwords, profile, staff, node access."""
