"""Clients for the statistics APIs (Kolada v3, SCB PxWebApi 2.0/v1) and the snapshot update."""
