"""The platform specification: one declarative record per platform, from which the rest is derived.

(Seed of the specification: today only the platform names; the records grow here.)
"""

PLATFORMS = ("instagram", "facebook", "youtube", "x", "tiktok")
