"""Privacy pages of an account: download my data, delete my account."""
