"""Reporting logic shared by every backend and write path."""
