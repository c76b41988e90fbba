import NIOCore
import NIOEmbedded  // built for HummingbirdTesting, which depends on it
@testable import SpectralHTTP
import Testing

/// The body-read deadlines, swept by hand on a chosen clock (the live cut-off of a
/// trickled body is `HostileTrafficTests.aTrickledBodyIsCutOffAtItsDeadline`).
@Suite struct BodyDeadlinesTests {
    @Test func aSweepClosesOnlyTheReadsPastTheirDeadline() async throws {
        let deadlines = BodyDeadlines(timeout: .seconds(10))
        let start = ContinuousClock.now
        let early = try await connected(), late = try await connected(), finished = try await connected()
        _ = deadlines.start(early, now: start)
        _ = deadlines.start(late, now: start + .seconds(5))
        let done = deadlines.start(finished, now: start)
        deadlines.finish(done)
        #expect(deadlines.count == 2)

        #expect(deadlines.sweep(now: start + .seconds(9)) == 0)
        #expect(deadlines.sweep(now: start + .seconds(10)) == 1, "the first read is due at exactly its deadline")
        #expect(!early.isActive && late.isActive && finished.isActive)
        #expect(deadlines.count == 1)

        #expect(deadlines.sweep(now: start + .seconds(20)) == 1)
        #expect(!late.isActive && finished.isActive, "a finished read is never closed")
        #expect(deadlines.count == 0 && deadlines.sweep(now: start + .seconds(60)) == 0)
    }

    private func connected() async throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try await channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 1)).get()
        return channel
    }

    @Test func theSweepIntervalFollowsTheTimeout() {
        #expect(BodyDeadlines(timeout: .milliseconds(300)).sweepInterval == .milliseconds(75))
        #expect(BodyDeadlines(timeout: .milliseconds(20)).sweepInterval == .milliseconds(10))
        #expect(BodyDeadlines(timeout: .seconds(30)).sweepInterval == .seconds(1))
    }
}
