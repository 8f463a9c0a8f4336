"""Performance methodologies of the other seeds, one pure module each: calculators that the contract renewal
uses (placement stability, residential rates, the performance-based allocation)."""
