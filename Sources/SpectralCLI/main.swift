print("spectral")
