DROP TABLE social_pending;

--bun:split

DROP TABLE social_states;
