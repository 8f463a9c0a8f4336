"""Practice improvement plans, 13 CSR 35-32.020 (15)-(16): opening a plan, the records each step writes, the
resume forms, the deadline reminders, and the demo's sample plans."""
