-- mail_outbox holds messages until the worker delivers them. A store
-- that changes an account inserts the message in the same transaction as
-- the change, so a message is never lost nor sent for a change that did
-- not happen. A worker claims a due message by setting claimed_until and
-- claim in one UPDATE of rows selected FOR UPDATE SKIP LOCKED; no other worker takes it until
-- claimed_until passes. A sent message's bodies are erased. user_id has
-- no foreign key: the record of a message outlives its account. Times are
-- unix milliseconds (UTC); claimed_until 0 is unclaimed, sent_at 0 not
-- yet settled.
CREATE TABLE mail_outbox (
    id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            TEXT    NOT NULL,
    user_id         BIGINT  NOT NULL DEFAULT 0,
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body_text       TEXT    NOT NULL,
    body_html       TEXT    NOT NULL,
    message_id      TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    claimed_until   BIGINT  NOT NULL DEFAULT 0,
    claim           TEXT    NOT NULL DEFAULT '',
    last_error      TEXT    NOT NULL DEFAULT '',
    created_at      BIGINT  NOT NULL,
    sent_at         BIGINT  NOT NULL DEFAULT 0
);

--bun:split

CREATE INDEX mail_outbox_due_idx ON mail_outbox (status, next_attempt_at);
