import Foundation
import Testing
import TokenBucket

struct TransferEstimatorTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// Alternating 1-hour windows: `slow` then `fast` bits per second (nil = unlimited).
    func alternating(slow: UInt64?, fast: UInt64?) -> (Date, Date) -> [RateSegment] {
        let origin = t0
        return { from, to in
            var segments: [RateSegment] = []
            var hour = Int((from.timeIntervalSince(origin) / 3600).rounded(.down))
            while origin.addingTimeInterval(Double(hour) * 3600) < to {
                let start = origin.addingTimeInterval(Double(hour) * 3600)
                let slowHour = hour % 2 == 0
                segments.append(RateSegment(start: max(start, from), end: min(start.addingTimeInterval(3600), to),
                                            bitsPerSecond: slowHour ? slow : fast, kind: slowHour ? "work-hours" : "non-work-hours"))
                hour += 1
            }
            return segments
        }
    }

    @Test func withinOneWindowIsSizeOverRate() throws {
        let estimate = try TransferEstimator.estimate(bytes: 1_000_000, start: t0, linkBitsPerSecond: nil,
                                                      segments: alternating(slow: 8_000_000, fast: 80_000_000))
        #expect(estimate.seconds == 1.0)
        #expect(estimate.windows.count == 1 && estimate.windows[0].bytes == 1_000_000)
    }

    @Test func crossesWindowsAndAccountsEveryByte() throws {
        // 1 MB/s for an hour (3.6 GB), then 10 MB/s: 10 GB needs the hour plus 640 s.
        let estimate = try TransferEstimator.estimate(bytes: 10_000_000_000, start: t0, linkBitsPerSecond: nil,
                                                      segments: alternating(slow: 8_000_000, fast: 80_000_000))
        #expect(estimate.seconds == 3600 + 640)
        #expect(estimate.windows.map(\.bytes) == [3_600_000_000, 6_400_000_000])
        #expect(estimate.windows.map(\.kind) == ["work-hours", "non-work-hours"])
        #expect(estimate.windows.reduce(0) { $0 + $1.bytes } == 10_000_000_000)
    }

    @Test func aTwoTebibyteBackupOverManyWindows() throws {
        let estimate = try TransferEstimator.estimate(bytes: 2 << 40, start: t0, linkBitsPerSecond: nil,
                                                      segments: alternating(slow: 8_000_000, fast: 80_000_000))
        // Each 2-hour cycle moves 3.6 GB + 36 GB = 39.6 GB.
        let cycles = Double(2 << 40) / 39_600_000_000
        #expect(abs(estimate.seconds - cycles * 7200) < 3600)
        #expect(estimate.windows.reduce(0) { $0 + $1.bytes } == 2 << 40)
        #expect(estimate.windows.count > 100)
    }

    @Test func unlimitedWindowsNeedTheLinkSpeedWhichAlsoCaps() throws {
        #expect(throws: TokenBucketError.self) {
            try TransferEstimator.estimate(bytes: 10_000_000_000, start: t0, linkBitsPerSecond: nil,
                                           segments: alternating(slow: 8_000_000, fast: nil))
        }
        let capped = try TransferEstimator.estimate(bytes: 10_000_000_000, start: t0, linkBitsPerSecond: 4_000_000,
                                                    segments: alternating(slow: 8_000_000, fast: nil))
        // The link (0.5 MB/s) is below both: 20000 s, windows split by kind only.
        #expect(capped.seconds == 20_000)
        #expect(Set(capped.windows.map(\.bitsPerSecond)) == [4_000_000])
    }

    @Test func givesUpPastTheHorizon() {
        #expect(throws: TokenBucketError.self) {
            try TransferEstimator.estimate(bytes: UInt64.max, start: t0, linkBitsPerSecond: nil, horizon: 86_400 * 40,
                                           segments: alternating(slow: 8000, fast: 8000))
        }
    }
}
