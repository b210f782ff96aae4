"""Bytes -> the world: files written atomically into the served folder, and notifications sent."""
