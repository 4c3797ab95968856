"""Emergencies: events, admin areas, sites, mobility tracking rounds, flow monitoring, registration."""
