import SpectralCatalog
import Testing

/// URLs are shown without the credentials written into them (review finding: `/health`
/// and `spectral author`'s log showed `SPECTRAL_LLM_BASE_URL` with its userinfo).
@Suite struct RedactedURLTests {
    @Test(arguments: [
        ("https://user:sk-secret@llm.example:8443/v1", "https://***@llm.example:8443/v1"),
        ("postgres://spectral:hunter2@db:5432/spectral?sslmode=require", "postgres://***@db:5432/spectral?…"),
        ("http://127.0.0.1:9/v1", "http://127.0.0.1:9/v1"),
        ("https://llm.example/v1?api_key=sk-secret", "https://llm.example/v1?…"),
        ("https://a@b@host/v1", "https://***@host/v1"),
        ("sqlite:/var/lib/spectral.sqlite", "sqlite:/var/lib/spectral.sqlite"),
        ("not a url :: user:pw@x", "***@x"),
    ])
    func credentialsAreNeverShown(_ url: String, _ shown: String) {
        #expect(RedactedURL(url).description == shown)
    }
}
