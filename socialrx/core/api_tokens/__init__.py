"""Personal API tokens: hashed at rest, shown once, named, expiring and revocable.

A token is ``sxr_`` and 43 random URL-safe characters (256 bits). Only its SHA-256 digest
is stored, with a short prefix to tell tokens apart on the list page; the secret itself is
shown once, on the page that creates it, and never again. The digest is looked up directly:
with 256 random bits there is nothing to guess, so no per-token salt or key-stretching is
needed, and a plain digest (not an HMAC with ``SECRET_KEY``) means rotating the secret key
does not cut off every connected system.
"""
