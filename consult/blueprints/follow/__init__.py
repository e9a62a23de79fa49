"""Following a topic, a consultation or the tastings: subscribe, confirm, unsubscribe."""
