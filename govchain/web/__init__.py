"""The public verification page (``govchain web``): anyone checks a certificate, licence or bill,
and follows a case item's timeline, against a read-only endpoint. No key, no keystore."""
