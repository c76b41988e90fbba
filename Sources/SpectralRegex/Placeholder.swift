// SpectralRegex
