"""Sources fetch and normalise; they never decide a status."""
