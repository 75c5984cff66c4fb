"""The police's open events feed (polisen.se/api/events) → the groups of each kommun.

parse: event objects, titles, places, types; politeness: the call budget;
client: one HTTP call; pipeline: what is new, old, changed or suspect, and to whom it goes;
service: one poll end to end; poller: the periodic pass.
"""
