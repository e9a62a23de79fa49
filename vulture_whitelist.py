"""Names vulture (`make lint`) cannot see being used: read by a framework, a template or
the tests, or stored as data. Vulture only parses this file; it never runs.

Views, blueprint hooks, CLI commands and the user loader are skipped by their decorators
(`ignore_decorators` in pyproject.toml), so they need no line here. Add a name only when
something outside Python code uses it, and say what.
"""

# ruff: noqa
_ = object()

# --- Frameworks ----------------------------------------------------------------------
Meta  # WTForms: a form's options (csrf = False)
field_flags  # WTForms: the flags a validator sets on its field
widget, option_widget  # WTForms: how a field renders
_.process_bind_param, _.process_result_value, impl, cache_ok  # SQLAlchemy TypeDecorator
_.pre_validate  # WTForms: a field's own check before its validators
_._is_public_expression, _._is_counted_expression, _._is_published_expression  # SQLAlchemy: hybrid SQL
_._public_name_expression  # SQLAlchemy: hybrid SQL (Response.public_name)
_.get_id  # Flask-Login: the session's user id
_.login_view, _.login_message, _.login_message_category, _.session_protection  # Flask-Login
_.status_code  # Flask: the status of a response built by jsonify
_.explicit_locale  # flask.g: popped by name in consult/__init__.py
_.msg  # logging: the record's message, rewritten by the redaction filter
_._storage_dead  # Flask-Limiter: its "storage is down" flag, reset for each new app (extensions.py)
run_by_id, mail_reset_link  # background jobs, named by their dotted path (consult/jobs.py)
send_due_now  # the follow notices job, named by its dotted path (blueprints/follow/notify.py)

# --- Read only in templates ----------------------------------------------------------
_.flagged, _.needs_account, identical, size_kb, body_html, topic_name, minimum_age
checked_in_by
_.has_prev, _.has_next, _.numbers  # services/paging.Page: read by templates/macros/paging.html
_.input_type, _.default_max_length, _.vote_choices, _.proposal_max_length  # question kinds: read by their partials
_.heading, _.consequences, _.confirm_label, _.danger, _.undoable  # blueprints/confirmation.Confirmation: read by confirm.html

# --- Used by the tests and benchmarks (helpers kept in the product on purpose) -------
read_outbox, wait_for_threads, catalogue_problems, planted_texts

# --- Data: columns written for the record, and fields of results stored as JSON ------
created_by_id, added_at, hidden_reason, moderated_by_id, moderated_at, edit_token_hash
text_hash, report_outcome_nl, report_outcome_en
last_error  # models/mail.OutgoingMail: written by mail_delivery with a Core UPDATE
decided_at, decision_reason, verified_route  # models/organisation.py: shown to officials
item_means, n_agree, n_success, n_trials, group_aware_consensus, p_ttest, cohens_dz
base_silhouettes  # OpinionClusters: the base-cluster scores that chose k (tests, CLI users)
EXPECTED_RESPONSES  # consult/demo/tasting_rounds.py: the demo tests count on it
EXPECTED_PEOPLE  # consult/demo/tasting_rounds.py: the demo tests count on it

# --- Found dead, left to the part of issue 12 that owns the module -------------------
# Delete each line together with the code (see the report of the `commands` helper).
check_one_response_per_account  # services/consultations/responding.py: only a test calls it

# --- Joined later ----------------------------------------------------------------------
signed_in_through_verified_route  # services/accounts/oidc: for the organisations' verification (issue 11)
# Guided coding: fields read by templates, tests and benchmarks.
_.n_folds  # analysis.coding.CodeSuggestions
_.n_coded  # analysis.coding.CodeSuggestions
_.trained_at  # consult.models.coding.CodingModel: when the stored suggestions were made (audit)
_.text_indices  # analysis.topics.Topic (tests)
_.response_public_id  # services.insights.coding.CodableAnswer (kept for pages/exports)
_.decided_by  # services.insights.coding.CodableAnswer (templates/insights/coding.html)
_.by_role  # services.home.Accounts (templates/accounts/overview.html)
# DayMonthYearField: WTForms calls Field.process(formdata, data, extra_filters=...) and
# reads raw_data (the Optional validator).
_.process
extra_filters
_.raw_data
_.forget_topic_names  # services.catalogue: tests empty the per-worker cache of topic names
_.conditions_in  # models.events.TastingApproval (templates/events/_tasting.html)
_._login_user  # consult/__init__.py: Flask-Login reads the request's user from g._login_user
