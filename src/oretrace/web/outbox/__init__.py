"""The outbox: every e-mail is a row first, and a worker delivers it with retries."""
