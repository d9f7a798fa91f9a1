-- Schema version 5: alerts that fired, with their evidence and delivery.

CREATE TABLE alerts (
    id VARCHAR PRIMARY KEY,
    rule VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    scope VARCHAR NOT NULL,
    alert_date DATE NOT NULL,
    message VARCHAR NOT NULL,
    value DOUBLE,
    evidence VARCHAR NOT NULL,       -- JSON list of event, signal, article or index ids
    fired_at TIMESTAMP NOT NULL,
    delivered VARCHAR NOT NULL       -- JSON: channel -> "ok" or the error
);

CREATE INDEX alerts_date ON alerts (alert_date);
