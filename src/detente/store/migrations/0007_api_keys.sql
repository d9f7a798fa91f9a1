-- Schema version 7: API keys for the REST API's writing endpoints.
-- Only a salted scrypt hash of each key's secret is stored; the key itself is
-- printed once by `detente keys create`. Not exported with the other tables.

CREATE TABLE api_keys (
    name VARCHAR PRIMARY KEY,        -- who or what holds the key (a person, a feed robot)
    key_id VARCHAR NOT NULL UNIQUE,  -- the public part of the key, used to find its row
    salt BLOB NOT NULL,
    key_hash BLOB NOT NULL,          -- scrypt(secret, salt)
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP             -- set by `detente keys revoke`; a revoked key is refused
);
