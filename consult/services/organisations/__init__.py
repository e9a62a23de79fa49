"""Organisations with a declared identity: declaring one, and verifying it.

- `declarations`: the rules of a declaration (KvK number, EU Transparency Register id,
  website, declared interest) and declaring one, which asks for verification;
- `verification`: the officials' queue and decisions, and `mark_verified_by_route`,
  the hook a login route that vouches for an organisation (eHerkenning) calls;
- `labels`: the translated names of the types, statuses and the "not verified" text.
"""
