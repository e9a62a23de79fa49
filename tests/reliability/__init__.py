"""Reliability: what was acknowledged is stored completely; nothing is stored by half."""
