import ArgumentParser
import Foundation
import TokenBucket

/// The packet-scheduler clock of the running kernel, read from `/proc/net/psched`.
enum SystemClock {
    /// The clock, or exit 1 with a message when the file cannot be read or parsed (libnl would silently
    /// assume one tick per microsecond and compute every bucket 15.6 times too small).
    static func current() throws -> PacketSchedulerClock {
        do {
            return try PacketSchedulerClock.read(using: { path in try String(contentsOfFile: path, encoding: .utf8) })
        } catch {
            printError(error.message)
            throw ExitCode(ExitStatus.failure.rawValue)
        }
    }
}
