"""Access control: API tokens (stored only as hashes), roles per org, and the one visibility rule."""
