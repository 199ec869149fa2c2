"""Pages tests use to tell whether a client is signed in."""

# Only a signed-in user reaches this page, whatever their role; anyone else is sent to
# sign in (or to set up a second factor). The home page cannot tell: a visitor who is not
# signed in gets the public landing page there, with a 200.
SIGNED_IN_ONLY = "api_tokens"
