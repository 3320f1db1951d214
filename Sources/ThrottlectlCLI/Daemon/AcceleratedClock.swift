import Foundation

#if DEBUG
    /// Test hook, compiled into debug builds only: a ``DaemonClock`` whose wall clock jumps straight to each
    /// deadline, so that a test runs a week (or ten thousand transitions) of schedule against the real kernel in
    /// seconds. `THROTTLECTL_TEST_ACCELERATED_CLOCK=INSTANT,COUNT` makes `run` use it: it starts at the ISO-8601
    /// `INSTANT`, and after `COUNT` transitions it asks the daemon to stop. Kernel notifications are not heard.
    final class AcceleratedClock: DaemonClock {
        private(set) var now: Date
        private(set) var uptime: Double = 0
        /// Transitions to run before stopping.
        let transitions: Int
        private(set) var reached = 0
        private let control: DaemonControl
        /// Called with the transition's number before the daemon applies it.
        var onTransition: ((Int) -> Void)?

        init(start: Date, transitions: Int, control: DaemonControl) {
            now = start
            self.transitions = transitions
            self.control = control
        }

        /// `INSTANT,COUNT` from the environment variable, or `nil`.
        static func parse(_ text: String) -> (start: Date, transitions: Int)? {
            let parts = text.split(separator: ",")
            guard parts.count == 2, let start = try? parseInstant(String(parts[0])), let count = Int(parts[1]),
                count >= 0
            else { return nil }
            return (start, count)
        }

        func wait(until deadline: Date?, timeout: Double?) -> DaemonWake {
            let step = deadline.map { max($0.timeIntervalSince(now), 0) }
            if let timeout, step.map({ timeout < $0 }) ?? true {
                uptime += timeout
                now = now.addingTimeInterval(timeout)
                return .timeout
            }
            guard reached < transitions, let deadline, let step else {
                control.request(.stop)
                return .control
            }
            reached += 1
            uptime += step
            now = deadline
            onTransition?(reached)
            return .deadline
        }
    }

    /// This process's resident memory and open descriptors, for the soak test's report.
    enum ProcessResources {
        static func residentKiB() -> Int {
            guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
            for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
                return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
            }
            return -1
        }

        static func openDescriptors() -> Int {
            (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
        }
    }
#endif
