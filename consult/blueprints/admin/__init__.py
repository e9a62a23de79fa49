"""Admin pages: the audit log and the accounts with their roles."""
