"""Planning writes: keyword-only, transactional, audited. One module per aggregate."""
