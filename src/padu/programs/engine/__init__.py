"""Django-free parts of the programme catalogue: eligibility rules and beneficiary-list intake."""
