"""Offline border posts and central: the outbox posts push, the feed they pull, device enrolment."""
