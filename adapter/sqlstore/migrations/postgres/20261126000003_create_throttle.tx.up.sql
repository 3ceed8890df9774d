-- login_failures counts consecutive failed logins per account (canonical
-- username) and client network; a successful login deletes the row, and a
-- purge deletes rows whose last failure is too old to matter. Times are
-- unix milliseconds (UTC).
CREATE TABLE login_failures (
    account         TEXT    NOT NULL,
    network         TEXT    NOT NULL,
    failures        INTEGER NOT NULL,
    last_failure_at BIGINT  NOT NULL,
    PRIMARY KEY (account, network)
);

--bun:split

CREATE INDEX login_failures_last_failure_at_idx ON login_failures (last_failure_at);

--bun:split

-- throttle_events holds one row per counted event (a failed login, a
-- signup) per client network, for the per-network caps over a window.
CREATE TABLE throttle_events (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind    TEXT   NOT NULL,
    network TEXT   NOT NULL,
    at      BIGINT NOT NULL
);

--bun:split

CREATE INDEX throttle_events_kind_network_at_idx ON throttle_events (kind, network, at);

--bun:split

CREATE INDEX throttle_events_at_idx ON throttle_events (at);
