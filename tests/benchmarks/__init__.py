"""The benchmarks run end to end on tiny archives (their figures are not judged)."""
