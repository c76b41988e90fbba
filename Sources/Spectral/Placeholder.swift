// Spectral
