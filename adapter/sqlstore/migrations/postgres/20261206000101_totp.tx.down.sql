DROP TABLE totp_secrets;
