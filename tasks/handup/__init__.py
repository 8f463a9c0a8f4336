"""Hand-Up Pilot Program, 13 CSR 35-32.040: reference data, pilot providers, enrolment, billing, payments,
removal, fair hearings and opt-out (docs/architecture.md, "Hand-Up")."""
