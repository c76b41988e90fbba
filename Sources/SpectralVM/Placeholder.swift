// SpectralVM
