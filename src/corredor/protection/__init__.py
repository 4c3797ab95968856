"""Protection and assistance: referrals with consent, cases, assisted voluntary return and reintegration."""
