"""The deterministic demo organisation (`cadence demo`, `cadence generate`): see `generate`."""
