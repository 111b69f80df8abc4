"""Email subscriptions to new posts: the reader's side (subscribe, confirm, unsubscribe) and the sending."""
