"""Reads of partners: scorecards, the leaderboard and (later) tiers, offers and incidents."""
