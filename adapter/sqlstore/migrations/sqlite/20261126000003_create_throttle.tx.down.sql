DROP TABLE throttle_events;

--bun:split

DROP TABLE login_failures;
