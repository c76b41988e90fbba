// SpectralCompiler
