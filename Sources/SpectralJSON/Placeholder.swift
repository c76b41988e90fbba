// SpectralJSON
