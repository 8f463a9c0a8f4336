"""Annual contract renewal, 13 CSR 35-32.020 (13)-(16) and 35-32.030 (5)-(6)."""
