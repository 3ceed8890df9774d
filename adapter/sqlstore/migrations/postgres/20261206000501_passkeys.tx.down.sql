DROP TABLE webauthn_challenges;

--bun:split

DROP TABLE passkeys;

--bun:split

DROP TABLE webauthn_users;
