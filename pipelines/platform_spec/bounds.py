"""Plausible bounds for the ingestion gate, named once and used by the platform records.

Bounds are for corruption, not for anomalies: a bound that a real (even viral) day could exceed would block
good data, so every limit sits orders of magnitude above what the largest government account can reach.
Anomalous but possible values are the job of `dq_anomalies`, which warns instead of blocking.
"""

AUDIENCE_MAX = 500_000_000  # more followers than any account on any platform has
FOLLOWING_MAX = 10_000_000
LIFETIME_POSTS_MAX = 10_000_000  # lifetime media / videos / tweets
LIFETIME_BIG_MAX = 10**12  # lifetime views / likes received
DAILY_FLOW_MAX = 10**10  # one day's views, reach or interactions
DAILY_POSTS_MAX = 1_000  # posts published in one day
# A daily flow may be a large multiple of the audience (a post goes viral), but not more than this.
FLOW_PER_FOLLOWER_MAX = 1_000
FLOW_OFFSET = 1_000_000  # lets a small account have one viral day without tripping the ratio
