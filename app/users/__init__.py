"""Users: sign-up, the caller's own profile, and platform role grants made by administrators."""
