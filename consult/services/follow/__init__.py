"""Following a topic, a consultation or the tastings by mail (double opt-in), and the
notices sent to those who follow: targets (what can be followed), subscriptions
(subscribe, confirm, unsubscribe, the privacy area) and notices (what is due, claimed
once per subscription in the database, then mailed)."""
