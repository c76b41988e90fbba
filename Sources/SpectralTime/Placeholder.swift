// SpectralTime
