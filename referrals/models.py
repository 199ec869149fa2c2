"""Models for the referrals app."""
